#!/usr/bin/env node
// The comparison system of `footnote eval`: finds people, places and organisations with the npm
// package compromise (pinned in package.json), so that the core's scores can be read beside
// those of a general-purpose tagger on the same texts.
//
// Reads a JSON array of blocks of text from standard input and writes, for each block, an array
// of [start, end, kind] findings: UTF-8 byte offsets into the block, kind "person", "place" or
// "organisation". A finding's span runs from its first to its last word, without the
// punctuation around them, without leading honorifics ("President", "Mr."), and without a
// possessive "'s", so that it is comparable with a labelled name.

import nlp from 'compromise';

const KINDS = [
  ['people', 'person'],
  ['places', 'place'],
  ['organizations', 'organisation'],
];

function bytes(text, utf16) {
  return Buffer.byteLength(text.slice(0, utf16), 'utf8');
}

function findings(block) {
  const out = [];
  if (block.trim() === '') return out;
  const doc = nlp(block);
  for (const [method, kind] of KINDS) {
    for (const match of doc[method]().json({ offset: true, terms: { offset: true } })) {
      const terms = match.terms.filter((t) => t.text !== '');
      while (terms.length > 0 && terms[0].tags.includes('Honorific')) terms.shift();
      if (terms.length === 0) continue;
      const first = terms[0];
      const last = terms[terms.length - 1];
      let start = first.offset.start;
      let end = last.offset.start + last.offset.length;
      const word = block.slice(start, end);
      const possessive = /['’]s$/.exec(word);
      if (possessive && word.length > 2) end -= possessive[0].length;
      if (end > start) out.push([bytes(block, start), bytes(block, end), kind]);
    }
  }
  out.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  return out;
}

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const blocks = JSON.parse(input);
process.stdout.write(JSON.stringify(blocks.map(findings)));
