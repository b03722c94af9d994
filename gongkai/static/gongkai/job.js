// The page of a running background job: ask how far it has got every two seconds and show
// it; say a new step or each tenth of the way once (the live region is read aloud); when the
// job has finished, load the page again and put the focus on the result's heading.
(function () {
  "use strict";
  var FOCUS = "gongkai-job-result";
  var heading = document.getElementById("result-title");
  if (heading && window.sessionStorage.getItem(FOCUS) === location.pathname) {
    window.sessionStorage.removeItem(FOCUS);
    heading.focus();
  }
  var box = document.getElementById("job");
  var stage = document.getElementById("job-stage");
  if (!box || !stage) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var state = document.getElementById("job-state");
  var said = stage.textContent;
  function show(s) {
    if (s.finished || s.silent || s.stalled) {
      window.sessionStorage.setItem(FOCUS, location.pathname);
      window.location.reload();
      return;
    }
    state.textContent = s.state_label;
    if (s.total) { bar.max = s.total; bar.value = s.done; }
    var text;
    if (s.state === "queued") {
      text = "排队中，等待后台进程开始处理……";
    } else {
      var tenth = s.total ? Math.floor((10 * s.done) / s.total) : 0;
      text = (s.stage || "处理中") + (s.total ? "：已完成 " + tenth * 10 + "%" : "");
    }
    if (text !== said) { stage.textContent = text; said = text; }
    setTimeout(poll, 2000);
  }
  function stop(message) {
    stage.textContent = message;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.type === "opaqueredirect" || r.status === 401 || r.status === 403 || r.status === 302) {
          stop("登录已过期或无权查看，请重新登录后刷新本页。");
          return null;
        }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) { if (s) show(s); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
