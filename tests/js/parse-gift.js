// Parse a GIFT file with gift-pegjs (an independent parser) and print its questions as JSON.
// Usage: node tests/js/parse-gift.js FILE  (exit 1 with the parser's message on a syntax error)
const fs = require("fs");
const { parse } = require("gift-pegjs");

const text = fs.readFileSync(process.argv[2], "utf8");
try {
  process.stdout.write(JSON.stringify(parse(text)));
} catch (error) {
  const where = error.location ? `${error.location.start.line}:${error.location.start.column}: ` : "";
  process.stderr.write(`${where}${error.message}\n`);
  process.exit(1);
}
