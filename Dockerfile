# Production image: the app with its npm assets collected by whitenoise.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock package.json package-lock.json ./
RUN uv sync --frozen --no-dev && npm ci --no-audit --no-fund
COPY . .
RUN python manage.py compilemessages --ignore=node_modules -v0 \
    && MAATWERQ_MODE=production DJANGO_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       DJANGO_ALLOWED_HOSTS=build DJANGO_EMAIL_HOST=build python manage.py collectstatic --no-input -v0 \
    && useradd --system --home /app maatwerq && mkdir -p /data/private && chown maatwerq /data/private
USER maatwerq
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
