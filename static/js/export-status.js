// The page that waits for an export: it asks the server for the export's state every few
// seconds and reloads once the file is ready (or failed), so the page itself offers the
// download. Without JavaScript the page's refresh link does the same. It stops asking after a
// quarter of an hour; the refresh link still works then.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-state-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-export-state-url");
  var interval = 2000;
  var deadline = Date.now() + 15 * 60 * 1000;

  function poll() {
    if (Date.now() > deadline) {
      return;
    }
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.state !== "pending") {
          window.location.reload();
        } else {
          window.setTimeout(poll, interval);
        }
      })
      .catch(function () {
        window.setTimeout(poll, interval); // a dropped connection: ask again
      });
  }

  window.setTimeout(poll, interval);
})();
