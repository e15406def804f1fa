"""The demo academy: one module per app it fills (accounts, participants and their planned
population, leerroutes, employers, portal) and the ``load_demo`` command that runs them in
order. It sits above every app it fills, so none of them imports it."""
