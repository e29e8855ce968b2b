// Draw the report charts from the numbers the page already shows in its tables.
(function () {
  const source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const navy = "#14325c", gold = "#b8860b";
  new Chart(document.getElementById("weekly-chart"), {
    type: "bar",
    data: {
      labels: data.weekly.labels,
      datasets: [
        { label: "Opened", data: data.weekly.opened, backgroundColor: navy },
        { label: "Closed", data: data.weekly.closed, backgroundColor: gold },
      ],
    },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById("backlog-chart"), {
    type: "bar",
    data: { labels: data.backlog.labels, datasets: [{ label: "Open tickets", data: data.backlog.counts, backgroundColor: navy }] },
    options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
