/* studylog's Review page: flashcards from the logs' questions, scheduled in this browser.
 *
 * The page holds everything but the behaviour (see studylog/render/review.py): the deck
 * as JSON (data-deck), the filters, the card's frame and the words in the site's language. This
 * script shows one due card at a time; Space, Enter or a tap shows the answer; 1-4 or
 * the buttons grade it (again, hard, good, easy), and FSRS (ts-fsrs, loaded from beside
 * this script the first time a Review page is opened) says when it is due again. Each
 * card's schedule is kept in localStorage under one key per site, so it survives
 * reloads and never leaves the browser. Material's instant navigation swaps pages
 * without reloading: the page is set up again each time it is shown (document$).
 */
(function () {
  "use strict";

  var VERSION = 1;
  var fsrsLoading = null;

  function loadFsrs(url) {
    if (window.FSRS && window.FSRS.fsrs) return Promise.resolve(window.FSRS);
    if (!fsrsLoading) {
      fsrsLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = function () {
          if (window.FSRS && window.FSRS.fsrs) resolve(window.FSRS);
          else reject(new Error("ts-fsrs did not load"));
        };
        tag.onerror = function () {
          fsrsLoading = null;
          reject(new Error("cannot load " + url));
        };
        document.head.appendChild(tag);
      });
    }
    return fsrsLoading;
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }

  function storageKey(root) {
    return "studylog-review:" + new URL(root, location.href).pathname;
  }

  function readStore(key) {
    try {
      var data = JSON.parse(localStorage.getItem(key) || "null");
      if (data && data.version === VERSION && data.cards) return data;
    } catch (e) {
      /* a broken or foreign entry: start a new schedule */
    }
    return { version: VERSION, cards: {} };
  }

  function writeStore(key, store) {
    try {
      localStorage.setItem(key, JSON.stringify(store));
    } catch (e) {
      /* storage full or switched off: the schedule lasts as long as the page */
    }
  }

  function interval(words, from, to) {
    var minutes = Math.max(1, Math.round((to - from) / 60000));
    if (minutes < 60) return minutes + words.min;
    var hours = Math.round(minutes / 60);
    if (hours < 24) return hours + words.h;
    return Math.round(hours / 24) + words.d;
  }

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var status = root.querySelector(".studylog-review-status");
    var deck = JSON.parse(root.dataset.deck);
    var words = deck.words;
    loadFsrs(new URL(root.dataset.fsrs, location.href).href).then(
      function (FSRS) {
        start(root, deck, FSRS);
      },
      function (error) {
        status.textContent = fill(words["The review could not start: {error}"], {
          error: error.message,
        });
      },
    );
  }

  function start(root, deck, FSRS) {
    var words = deck.words;
    var short = { min: words.min, h: words.h, d: words.d };
    var scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    var key = storageKey(root.dataset.root);
    var store = readStore(key);
    var status = root.querySelector(".studylog-review-status");
    var frame = root.querySelector(".studylog-review-card");
    var where = frame.querySelector(".studylog-review-where");
    var question = frame.querySelector(".studylog-review-question");
    var answer = frame.querySelector(".studylog-review-answer");
    var show = frame.querySelector("button[data-show-answer]");
    var grades = frame.querySelector(".studylog-review-grades");
    var filters = root.querySelectorAll("select[data-filter]");
    var queue = [];
    var current = null;
    var options = null;

    function stored(card) {
      var saved = store.cards[card.id];
      return saved ? FSRS.TypeConvert.card(saved) : null;
    }

    function chosen() {
      var want = {};
      filters.forEach(function (select) {
        want[select.dataset.filter] = select.value;
      });
      return deck.cards.filter(function (card) {
        if (want.week && card.week !== want.week) return false;
        if (want.keyword && card.keywords.indexOf(want.keyword) < 0) return false;
        return true;
      });
    }

    function build() {
      var now = new Date();
      var cards = chosen();
      var due = [];
      var fresh = [];
      var next = null;
      cards.forEach(function (card) {
        var saved = stored(card);
        if (!saved) fresh.push(card);
        else if (saved.due <= now) due.push({ card: card, due: saved.due });
        else if (!next || saved.due < next) next = saved.due;
      });
      due.sort(function (a, b) {
        return a.due - b.due;
      });
      queue = due
        .map(function (item) {
          return item.card;
        })
        .concat(fresh);
      return { total: cards.length, next: next };
    }

    function render(info) {
      current = queue[0] || null;
      if (!current) {
        frame.hidden = true;
        var said = words["Nothing is due now."];
        if (info.next) said += " " + fill(words["Next card is due on {date}."], {
          date: info.next.toLocaleString(),
        });
        status.textContent = said;
        return;
      }
      status.textContent = fill(words["{due} due of {total} cards"], {
        due: queue.length,
        total: info.total,
      });
      where.textContent = "";
      var when = document.createElement("span");
      when.textContent = current.date ? current.date + " · " : "";
      where.appendChild(when);
      var link = document.createElement(current.href ? "a" : "span");
      if (current.href) link.href = current.href;
      link.textContent = current.title;
      where.appendChild(link);
      // Rendered and sanitized at build time (studylog/render/cards.py).
      question.innerHTML = current.q;
      answer.innerHTML = current.a;
      answer.hidden = true;
      grades.hidden = true;
      show.hidden = false;
      frame.hidden = false;
      frame.dataset.card = current.id;
      typeset(question);
    }

    function typeset(element) {
      if (window.MathJax && window.MathJax.typesetPromise) {
        window.MathJax.typesetPromise([element]).catch(function () {});
      }
    }

    function reveal() {
      if (!current || !answer.hidden) return;
      var now = new Date();
      options = scheduler.repeat(stored(current) || FSRS.createEmptyCard(now), now);
      grades.querySelectorAll("button[data-grade]").forEach(function (button) {
        var next = options[Number(button.dataset.grade)].card.due;
        button.querySelector("[data-interval]").textContent = " " + interval(short, now, next);
      });
      answer.hidden = false;
      show.hidden = true;
      grades.hidden = false;
      typeset(answer);
    }

    function grade(rating) {
      if (!current || answer.hidden || !options) return;
      store = readStore(key); // another tab of the site may have graded meanwhile
      store.cards[current.id] = options[rating].card;
      writeStore(key, store);
      options = null;
      render(build());
    }

    function onKey(event) {
      if (!root.isConnected) {
        document.removeEventListener("keydown", onKey);
        return;
      }
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      if (target && target.closest && target.closest("input, select, textarea, [contenteditable]"))
        return;
      if (frame.hidden) return;
      if ((event.key === " " || event.key === "Enter") && answer.hidden) {
        if (event.key === "Enter" && target && target.closest && target.closest("a")) return;
        event.preventDefault();
        reveal();
      } else if (/^[1-4]$/.test(event.key) && !answer.hidden) {
        event.preventDefault();
        grade(Number(event.key));
      }
    }

    root.querySelectorAll("[data-show-answer]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest("a")) return;
        reveal();
      });
    });
    grades.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-grade]");
      if (button) grade(Number(button.dataset.grade));
    });
    filters.forEach(function (select) {
      select.addEventListener("change", function () {
        render(build());
      });
    });
    document.addEventListener("keydown", onKey);
    root.dataset.started = "1";
    render(build());
  }

  function init() {
    document.querySelectorAll("[data-studylog-review]").forEach(setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
