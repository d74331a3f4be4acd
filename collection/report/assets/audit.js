/* The audit page: its charts and tables are static; this fills in the tokens' thumbnails. */
(function () {
  "use strict";
  self.Report.fillThumbs(document.getElementById("main"));
  self.Report.ready = true;
})();
