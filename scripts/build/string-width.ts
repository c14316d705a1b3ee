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
import {replaceOnce} from './plugins.js';

/**
 * The characters of the fast path: one UTF-16 unit each, width 1 with ambiguous-is-narrow (the
 * default, and Ink's), no emoji, nothing that combines with a neighbour. Latin-1 without the soft
 * hyphen, © and ® (emoji to string-width); dashes, quotes, bullet and ellipsis; ←↑→↓; box drawing and blocks; ▸ ▾ ● ✗ ⟳.
 */
export const NARROW_CLASS = '\\u0020-\\u007E\\u00A0-\\u00A8\\u00AA-\\u00AC\\u00AF-\\u00FF\\u2010-\\u2027\\u2190-\\u2193\\u2500-\\u259F\\u25B8\\u25BE\\u25CF\\u2717\\u27F3';

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
