/**
 * string-width (Ink measures and wraps every text node of every frame with it: v8 directly, v7 through
 * wrap-ansi) sends any string that is not plain ASCII through Intl.Segmenter and Unicode property
 * regexes: ~0.1 ms a call here, and its first call compiles \p{RGI_Emoji} (40-70 ms of a start).
 * Every table border, tree marker and ellipsis undock draws is one of a few narrow characters, so a
 * string made only of printable ASCII and those is measured as its length, as string-width would
 * (test/unit/build/string-width.test.ts checks each character against the unpatched package). Its
 * module-level regexes and segmenter, which cost 25 ms to create when Ink loads, are created by
 * the first call that needs them instead.
 */
import fs from 'node:fs';
import type * as esbuild from 'esbuild';
import {NARROW_CLASS} from '../../source/data/text/narrow.js';
import {replaceOnce} from './plugins.js';

// The characters of the fast path: source/data/text/narrow.ts says which and why.
const fastPath = `if (ambiguousIsNarrow && /^[${NARROW_CLASS}]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n`;

/** `const x = /re/;` and `const segmenter = new Intl.Segmenter();` at the top level become `let x;`, set by `init`. */
function lazyTopLevel(file: string, text: string): {text: string; init: string} {
  const inits: string[] = [];
  const out = text.replace(/^const (\w+) = (\/.+\/[a-z]*|new Intl\.Segmenter\(\));$/gm, (_, name: string, value: string) => {
    inits.push(`${name} ??= ${value};`);
    return `let ${name};`;
  });
  if (inits.length === 0) throw new Error(`${file}: no top-level regex or segmenter found (see scripts/build/string-width.ts)`);
  return {text: out, init: inits.join(' ')};
}

export const stringWidthPlugin: esbuild.Plugin = {
  name: 'undock-string-width-narrow',
  setup(build) {
    build.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, (args) => {
      const {text, init} = lazyTopLevel(args.path, fs.readFileSync(args.path, 'utf8'));
      const slow = `${fastPath}\t${init}\n`;
      // v8 has an ASCII-only fast path after stripping escapes; v7 (wrap-ansi's) has none.
      const v8 = '// Fast path: printable ASCII (0x20–0x7E) needs no segmenter, regex, or EAW lookup — width equals length.\n\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n';
      const v7 = 'if (string.length === 0) {\n\t\treturn 0;\n\t}\n\n\tlet width = 0;';
      const contents = text.includes(v8)
        ? replaceOnce(args.path, text, v8, slow)
        : replaceOnce(args.path, text, v7, `if (string.length === 0) {\n\t\treturn 0;\n\t}\n\n\t${slow}\n\tlet width = 0;`);
      return {loader: 'js', contents};
    });
  },
};

/**
 * Ink tokenizes every line of a frame with ansi-tokenize, grapheme by grapheme through an
 * Intl.Segmenter made when Ink loads (the first one costs ICU's break data, 25-30 ms here), and
 * slice-ansi (which Ink truncates text with) makes one too. A line of narrow characters and escape
 * sequences (ESC is a grapheme of its own) is one grapheme per unit, so ansi-tokenize walks it unit
 * by unit; either makes its segmenter at its first use that needs one.
 */
export const graphemePlugin: esbuild.Plugin = {
  name: 'undock-lazy-graphemes',
  setup(build) {
    build.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(args.path, text, 'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', 'let segmenter;');
      text = replaceOnce(args.path, text, 'for (const { segment, index } of segmenter.segment(str)) {', 'for (const { segment, index } of graphemesOf(str)) {');
      text += [
        '',
        `const unitGraphemes = /^[\\u001B${NARROW_CLASS}]*$/;`,
        'function* eachUnit(str) {',
        '    for (let index = 0; index < str.length; index++) yield { segment: str[index], index };',
        '}',
        'function graphemesOf(str) {',
        '    if (unitGraphemes.test(str)) return eachUnit(str);',
        '    segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });',
        '    return segmenter.segment(str);',
        '}',
        '',
      ].join('\n');
      return {loader: 'js', contents: text};
    });
    build.onLoad({filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(args.path, text, "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});", 'let graphemeSegmenter;');
      const uses = text.split('GRAPHEME_SEGMENTER.segment(').length - 1;
      if (uses === 0) throw new Error(`${args.path}: GRAPHEME_SEGMENTER.segment( not found (see scripts/build/string-width.ts)`);
      text = text.replaceAll('GRAPHEME_SEGMENTER.segment(', "(graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(");
      return {loader: 'js', contents: text};
    });
  },
};
