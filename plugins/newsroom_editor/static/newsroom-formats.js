/* The Common Ledger's file formats for the browser editor (Decap CMS's registerCustomFormat).
 *
 * Plain JavaScript that runs in the browser (window.NewsroomFormats) and under node (module.exports), so
 * the test suite runs it over every sample file (tests/test_editor_formats.py).
 *
 * articleFormat(keys): an article or page as the site reads it: `Key: value` lines (Python-Markdown's
 *   meta extension, read by plugins/newsroom_checks/frontmatter.py with the same rules), a blank line,
 *   the story. `keys` are the metadata keys as the validator spells them; a key typed in another case is
 *   read into the field of that spelling. Authors and Tags are lists (comma-separated in the file).
 * yamlFormat(): the data files under content/data/, in the small part of YAML they use: `key: value`
 *   lines, or a list of them (`- name: ...`), with plain, 'single' or "double" quoted values and # comments.
 *   A list file is edited as the field `items`. Anything else is refused with a message, never rewritten.
 *
 * Both keep what they did not change: every line of a file whose value the editor left alone is written
 * back byte for byte (comments, spacing, key order, continuation lines, line endings, a byte-order mark);
 * a changed value is written as `Key: value` in its old place; a new one goes where the form's order puts
 * it. The one change an unchanged file may get is a newline at its very end (Decap adds one).
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.NewsroomFormats = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Where a format keeps what it read (one string: Decap keeps data keys it has no field for).
  var SOURCE = "newsroom_source";
  var KEY_LINE = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var CONTINUATION = /^[ ]{4,}(.*)$/;
  var LIST_KEYS = { authors: true, tags: true };

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function splitLines(text) {
    // Only \n ends a line, as for the validator; a \r before it stays part of the raw line.
    return text.split("\n");
  }

  function stripCr(line) {
    return line.charAt(line.length - 1) === "\r" ? line.slice(0, -1) : line;
  }

  // --- articles and pages ----------------------------------------------------------------------

  function listFrom(text) {
    return text.split(",").map(function (s) { return s.trim(); }).filter(function (s) { return s; });
  }

  // What fromFile remembered of the file as read (to write unchanged lines back byte for byte), or null
  // for a new entry or a record that did not survive.
  function sourceOf(data) {
    try {
      return data[SOURCE] ? JSON.parse(data[SOURCE]) : null;
    } catch (e) {
      return null;
    }
  }

  function articleFormat(keys) {
    var spelling = {};
    (keys || []).forEach(function (k) { spelling[k.toLowerCase()] = k; });

    function fieldName(typed) {
      return spelling[typed.toLowerCase()] || typed;
    }

    function valueFor(name, text) {
      return LIST_KEYS[name.toLowerCase()] ? listFrom(text) : text;
    }

    // The metadata value a field's value is written as (one line; lists joined by ", ").
    function asText(value) {
      if (isEmpty(value)) return "";
      if (Array.isArray(value)) {
        return value.map(function (v) { return String(v).trim(); }).filter(function (v) { return v; }).join(", ");
      }
      return String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
    }

    function fromFile(content) {
      var bom = content.charAt(0) === "\ufeff" ? "\ufeff" : "";
      var text = content.slice(bom.length);
      var lines = splitLines(text);
      var chunks = [];
      var data = {};
      var current = null;
      var end = lines.length;
      var separator = null;
      for (var i = 0; i < lines.length; i++) {
        var line = stripCr(lines[i]);
        if (!line.trim()) {
          end = i;
          separator = lines[i];
          break;
        }
        var m = KEY_LINE.exec(line);
        if (m) {
          var name = fieldName(m[1]);
          current = { key: name, lines: [lines[i]], value: m[2].trim() };
          chunks.push(current);
          continue;
        }
        var c = CONTINUATION.exec(line);
        if (c && current) {
          current.lines.push(lines[i]);
          current.value = (current.value + " " + c[1].trim()).trim();
          continue;
        }
        if (!chunks.length) {
          // No metadata at all: the whole file is the story.
          end = 0;
          separator = null;
          chunks = [];
          break;
        }
        current = null;
        chunks.push({ key: null, lines: [lines[i]] });
      }
      var seen = {};
      chunks.forEach(function (chunk) {
        if (chunk.key && !seen[chunk.key]) {
          seen[chunk.key] = true;
          data[chunk.key] = valueFor(chunk.key, chunk.value);
        }
      });
      var bodyStart = separator === null ? (chunks.length ? lines.length : 0) : end + 1;
      data.body = chunks.length ? lines.slice(bodyStart).join("\n") : text;
      data[SOURCE] = JSON.stringify({ bom: bom, chunks: chunks, separator: separator, header: chunks.length > 0 });
      return data;
    }

    function toFile(data, sortedKeys) {
      data = data || {};
      var source = sourceOf(data);
      var order = (sortedKeys && sortedKeys.length ? sortedKeys : keys || []).filter(function (k) {
        return k !== "body" && k !== SOURCE;
      });
      var rank = {};
      order.forEach(function (k, i) { rank[k] = i; });
      var out = []; // {key, text}
      var written = {};
      var eol = "\n";
      (source && source.header ? source.chunks : []).forEach(function (chunk) {
        if (chunk.lines[0].slice(-1) === "\r") eol = "\r\n";
        if (!chunk.key || written[chunk.key]) {
          out.push({ key: null, text: chunk.lines.join("\n") });
          return;
        }
        written[chunk.key] = true;
        var now = asText(data[chunk.key]);
        if (now === asText(valueFor(chunk.key, chunk.value))) {
          if (now) out.push({ key: chunk.key, text: chunk.lines.join("\n") });
        } else if (now) {
          out.push({ key: chunk.key, text: chunk.key + ": " + now + (eol === "\r\n" ? "\r" : "") });
        }
      });
      order.forEach(function (key) {
        var now = asText(data[key]);
        if (written[key] || !now) return;
        written[key] = true;
        var at = 0;
        out.forEach(function (entry, i) {
          if (entry.key && rank[entry.key] !== undefined && rank[entry.key] < rank[key]) at = i + 1;
        });
        out.splice(at, 0, { key: key, text: key + ": " + now + (eol === "\r\n" ? "\r" : "") });
      });
      var body = data.body === undefined || data.body === null ? "" : String(data.body);
      var separator = source && source.separator !== null && source.separator !== undefined ? source.separator : (eol === "\r\n" ? "\r" : "");
      var bom = source ? source.bom : "";
      if (!out.length) return bom + body;
      var header = out.map(function (entry) { return entry.text; }).join("\n");
      if (source && source.header && source.separator === null && !body) return bom + header;
      if (!body && !(source && source.header)) return bom + header + "\n"; // a new file without a story yet
      return bom + header + "\n" + separator + "\n" + body;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  // --- data files (YAML) ------------------------------------------------------------------------

  var PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*)|[ \t]*)$/;

  function unsupported(line, why) {
    return new Error("newsroom_editor: line " + line + " of this data file " + why +
      ", which the browser editor does not write; edit the file in a text editor instead.");
  }

  // A scalar as PyYAML reads it (dates stay text, as YYYY-MM-DD): [value, rest of the line after it].
  function readScalar(text, lineNo) {
    text = text.replace(/^[ \t]+/, "");
    if (text === "" || text.charAt(0) === "#") return [null, text];
    var first = text.charAt(0);
    if (first === '"') {
      var j = 1;
      var out = "";
      while (j < text.length && text.charAt(j) !== '"') {
        if (text.charAt(j) === "\\") {
          var e = text.charAt(j + 1);
          var simple = { '"': '"', "\\": "\\", "/": "/", n: "\n", t: "\t", r: "\r", "0": "\0", " ": " " };
          if (simple[e] !== undefined) {
            out += simple[e];
            j += 2;
          } else if (e === "u" || e === "x" || e === "U") {
            var size = { x: 2, u: 4, U: 8 }[e];
            out += String.fromCodePoint(parseInt(text.substr(j + 2, size), 16));
            j += 2 + size;
          } else {
            throw unsupported(lineNo, "has an escape (\\" + e + ")");
          }
        } else {
          out += text.charAt(j);
          j += 1;
        }
      }
      if (j >= text.length) throw unsupported(lineNo, "has a quoted value that goes on to the next line");
      return [out, text.slice(j + 1)];
    }
    if (first === "'") {
      var k = 1;
      var single = "";
      for (;;) {
        if (k >= text.length) throw unsupported(lineNo, "has a quoted value that goes on to the next line");
        if (text.charAt(k) === "'") {
          if (text.charAt(k + 1) === "'") {
            single += "'";
            k += 2;
            continue;
          }
          break;
        }
        single += text.charAt(k);
        k += 1;
      }
      return [single, text.slice(k + 1)];
    }
    if ("[{|>&*!%@`".indexOf(first) >= 0) throw unsupported(lineNo, "has a value starting with " + first);
    var hash = text.search(/[ \t]#/);
    var plain = (hash >= 0 ? text.slice(0, hash) : text).replace(/[ \t]+$/, "");
    var rest = hash >= 0 ? text.slice(hash) : "";
    if (/^(?:null|Null|NULL|~)$/.test(plain)) return [null, rest];
    if (/^(?:true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(plain)) return [true, rest];
    if (/^(?:false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(plain)) return [false, rest];
    if (/^[-+]?(?:0|[1-9][0-9_]*)$/.test(plain)) return [parseInt(plain.replace(/_/g, ""), 10), rest];
    if (/^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+][0-9]+)?$/.test(plain)) return [parseFloat(plain.replace(/_/g, "")), rest];
    return [plain, rest];
  }

  function checkRest(rest, lineNo) {
    if (rest.trim() && rest.trim().charAt(0) !== "#") throw unsupported(lineNo, "has text after its value");
  }

  // The YAML text a value is written as: plain when PyYAML reads that back as the same text.
  function yamlScalar(value) {
    if (value === null || value === undefined || value === "") return "";
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    var text = String(value);
    var looksTyped = /^(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$/.test(text) ||
      /^[-+]?[0-9._:]+(?:[eE][-+]?[0-9]+)?$/.test(text) || /^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(text);
    var isDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
    var safe = /^[^\s\-?:,\[\]{}#&*!|>'"%@`]/.test(text) && !/(?:: |:$| #|\s$|[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff])/.test(text);
    if (isDate || (safe && !looksTyped)) return text;
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, function (ch) {
      return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
    });
  }

  function same(a, b) {
    if (isEmpty(a) && isEmpty(b)) return true;
    if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b) && String(a).trim() !== "" && String(b).trim() !== "";
    if (a && typeof a === "object" && b && typeof b === "object") {
      var ka = Object.keys(a).filter(function (k) { return !isEmpty(a[k]); });
      var kb = Object.keys(b).filter(function (k) { return !isEmpty(b[k]); });
      return ka.length === kb.length && ka.every(function (k) { return same(a[k], b[k]); });
    }
    return a === b;
  }

  function yamlFormat() {
    function fromFile(content) {
      var bom = content.charAt(0) === "\ufeff" ? "\ufeff" : "";
      var lines = splitLines(content.slice(bom.length));
      var pending = []; // comment and blank lines, kept with what follows them
      var chunks = []; // mapping: {key, lines, value}; list: {item, lines, value}
      var kind = null;
      var item = null;
      for (var i = 0; i < lines.length; i++) {
        var raw = lines[i];
        var line = stripCr(raw);
        var n = i + 1;
        if (!line.trim() || /^\s*#/.test(line)) {
          pending.push(raw);
          continue;
        }
        if (line === "---" && !chunks.length) throw unsupported(n, "starts a YAML document with ---");
        var listed = /^- (.*)$/.exec(line);
        var indented = /^  (\S.*)$/.exec(line);
        var m;
        if (listed && kind !== "map") {
          kind = "list";
          m = PLAIN_KEY.exec(listed[1]);
          if (!m) throw unsupported(n, "has a list entry that is not `- key: value`");
          item = { value: {}, lines: pending.concat([raw]) };
          pending = [];
          chunks.push(item);
        } else if (indented && kind === "list" && item) {
          m = PLAIN_KEY.exec(indented[1]);
          if (!m) throw unsupported(n, "is not `key: value`");
          item.lines = item.lines.concat(pending, [raw]);
          pending = [];
        } else if (!listed && !indented && kind !== "list") {
          kind = "map";
          m = PLAIN_KEY.exec(line);
          if (!m) throw unsupported(n, "is not `key: value`");
          chunks.push({ key: m[1], lines: pending.concat([raw]) });
          pending = [];
        } else {
          throw unsupported(n, "is indented in a way");
        }
        var read = readScalar(m[2] || "", n);
        checkRest(read[1], n);
        if (kind === "list") {
          if (Object.prototype.hasOwnProperty.call(item.value, m[1])) throw unsupported(n, "repeats the key " + m[1]);
          item.value[m[1]] = read[0];
        } else {
          chunks[chunks.length - 1].value = read[0];
        }
      }
      var data = {};
      if (kind === "list") {
        data.items = chunks.map(function (c) { return c.value; });
      } else {
        chunks.forEach(function (c) {
          if (Object.prototype.hasOwnProperty.call(data, c.key)) throw unsupported(0, "repeats the key " + c.key);
          data[c.key] = c.value;
        });
      }
      data[SOURCE] = JSON.stringify({ bom: bom, kind: kind || "map", chunks: chunks, tail: pending });
      return data;
    }

    function toFile(data, sortedKeys) {
      data = data || {};
      var source = sourceOf(data);
      var kind = source ? source.kind : (Array.isArray(data.items) ? "list" : "map");
      var out = [];
      if (kind === "list") {
        var unused = source ? source.chunks.slice() : [];
        (data.items || []).forEach(function (value) {
          var match = -1;
          unused.forEach(function (c, i) { if (match < 0 && same(c.value, value)) match = i; });
          if (match >= 0) {
            out.push(unused[match].lines.join("\n"));
            unused.splice(match, 1);
            return;
          }
          var keys = Object.keys(value || {}).filter(function (k) { return !isEmpty(value[k]); });
          out.push(keys.map(function (k, i) { return (i ? "  " : "- ") + k + ": " + yamlScalar(value[k]); }).join("\n"));
        });
      } else {
        var order = (sortedKeys || []).filter(function (k) { return k !== SOURCE && k !== "body"; });
        var rank = {};
        order.forEach(function (k, i) { rank[k] = i; });
        var entries = [];
        var written = {};
        (source ? source.chunks : []).forEach(function (c) {
          written[c.key] = true;
          var now = data[c.key];
          if (same(now, c.value)) {
            entries.push({ key: c.key, text: c.lines.join("\n") });
          } else if (!isEmpty(now)) {
            var kept = c.lines.slice(0, -1); // the comments above the key stay
            kept.push(c.key + ": " + yamlScalar(now));
            entries.push({ key: c.key, text: kept.join("\n") });
          } else if (c.lines.length > 1) {
            entries.push({ key: null, text: c.lines.slice(0, -1).join("\n") });
          }
        });
        Object.keys(data).sort(function (a, b) {
          return (rank[a] === undefined ? 1e9 : rank[a]) - (rank[b] === undefined ? 1e9 : rank[b]);
        }).forEach(function (key) {
          if (written[key] || key === SOURCE || isEmpty(data[key])) return;
          var at = entries.length;
          if (rank[key] !== undefined) {
            at = 0;
            entries.forEach(function (e, i) { if (e.key && rank[e.key] !== undefined && rank[e.key] < rank[key]) at = i + 1; });
          }
          entries.splice(at, 0, { key: key, text: key + ": " + yamlScalar(data[key]) });
        });
        out = entries.map(function (e) { return e.text; });
        if (source && !source.chunks.length && out.length) {
          // A file of comments only (a banner that is down): the new lines go after them.
          var notes = source.tail.slice();
          while (notes.length && notes[notes.length - 1] === "") notes.pop();
          return source.bom + notes.concat(out, [""]).join("\n");
        }
      }
      var tail = source ? source.tail : [""];
      return (source ? source.bom : "") + out.concat(tail).join("\n");
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  return { SOURCE: SOURCE, articleFormat: articleFormat, yamlFormat: yamlFormat, yamlScalar: yamlScalar };
});
