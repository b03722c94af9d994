// A form sent back with errors: move the focus to its summary, so that the keyboard and the
// screen reader start from the list of what to mend (each item links to its field).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
