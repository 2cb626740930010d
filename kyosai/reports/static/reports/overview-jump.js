// 報告書: 「概況を編集」 opens /reports/overview/PERIOD/ for the period typed in
// (a static file: the Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.overview-jump").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var period = encodeURIComponent(form.elements.period.value.trim());
      window.location.href = form.dataset.url.replace("PERIOD", period);
    });
  });
});
