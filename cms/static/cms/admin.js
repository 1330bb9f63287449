// Tables with the class "kpi-stack" become cards on a phone (admin.css): each body cell gets
// its column's name from the header, so the card says what each value is.
(function () {
  function label(table) {
    const rows = table.querySelectorAll(":scope > thead > tr");
    if (!rows.length) return;
    const heads = [];
    for (const th of rows[rows.length - 1].children) {
      const name = th.textContent.replace(/\s+/g, " ").trim();
      for (let i = 0; i < (th.colSpan || 1); i += 1) heads.push(name);
    }
    for (const tr of table.querySelectorAll(":scope > tbody > tr")) {
      let column = 0;
      for (const cell of tr.children) {
        const span = cell.colSpan || 1;
        if (span === 1 && heads[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", heads[column]);
        }
        column += span;
      }
    }
  }
  function run() {
    document.querySelectorAll("table.kpi-stack").forEach(label);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
