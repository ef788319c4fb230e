// Live logs: an element with data-poll is replaced, every data-interval ms, by what that URL
// answers (the same rows the page was rendered with). Reading needs none of this.
(function () {
  'use strict';
  function poll(element) {
    var url = element.getAttribute('data-poll');
    var interval = parseInt(element.getAttribute('data-interval'), 10) || 3000;
    function refresh() {
      if (document.hidden) {
        return schedule();
      }
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (response) {
          // a redirect means the session ended: stop, and leave the rows as they are
          if (!response.ok || response.redirected) {
            throw new Error('stopped');
          }
          return response.text();
        })
        .then(function (html) {
          if (!element.contains(document.activeElement)) {
            // never pull the rows from under a link that has keyboard focus
            element.innerHTML = html;
            element.setAttribute('data-refreshed', new Date().toISOString());
          }
          schedule();
        })
        .catch(function () { element.setAttribute('data-poll-stopped', 'true'); });
    }
    function schedule() {
      setTimeout(refresh, interval);
    }
    schedule();
  }
  document.querySelectorAll('[data-poll]').forEach(poll);
})();
