// The project's own script. No inline scripts anywhere: behaviour hangs on data attributes.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm dangerous actions: <button data-confirm="Weet je het zeker?">
  document.body.addEventListener("click", (event) => {
    const target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // A table or tab bar that scrolls sideways can be reached and scrolled with the keyboard.
  const markScrollable = () => {
    document.querySelectorAll(".table-responsive, .scroll-tabs").forEach((el) => {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
      } else if (el.tabIndex === 0) {
        el.removeAttribute("tabindex");
      }
    });
  };

  // Tab bars: fade the edge and show an arrow while more tabs lie past it; the current tab
  // is scrolled into view.
  const hintTabs = () => {
    document.querySelectorAll(".scroll-tabs").forEach((el) => {
      const more = el.scrollLeft + el.clientWidth < el.scrollWidth - 2;
      el.classList.toggle("has-more", more);
      el.parentElement.classList.toggle("has-more", more);
    });
  };
  document.querySelectorAll(".scroll-tabs").forEach((el) => {
    const current = el.querySelector("[aria-current='page']");
    if (current && current.offsetLeft + current.offsetWidth > el.clientWidth) {
      el.scrollLeft = current.offsetLeft - 16;
    }
    el.addEventListener("scroll", hintTabs, { passive: true });
  });
  markScrollable();
  hintTabs();
  window.addEventListener("resize", () => {
    markScrollable();
    hintTabs();
  });
  document.body.addEventListener("htmx:afterSettle", markScrollable);
});
