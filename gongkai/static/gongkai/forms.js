// A form sent back with errors: move the focus to its summary, so that the keyboard and the
// screen reader start from the list of what to mend (each item links to its field).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// The application form: an applicant who gives an e-mail address and has not chosen how to
// receive the information gets e-mail chosen for them (the server does the same without
// script); they can still choose another way.
document.addEventListener("DOMContentLoaded", function () {
  var email = document.getElementById("id_email");
  var delivery = document.getElementById("id_delivery");
  if (!email || !delivery) {
    return;
  }
  email.addEventListener("change", function () {
    if (email.value.trim() && !delivery.value) {
      delivery.value = "email";
    }
  });
});
