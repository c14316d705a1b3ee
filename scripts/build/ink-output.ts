/**
 * Ink's Output, frame after frame. Ink builds a new Output for every frame (new caches with it), so
 * each frame tokenised every line of the screen again (grapheme segmentation, an object a cell),
 * made a fresh blank object for each of the ~5,600 cells, and turned every row of cells back into
 * text: most of a frame's CPU while a watch storm redraws the key tree 30 times a second, or a key
 * press moves the selection over two rows (`--cpu-prof`). Now a frame's caches fall back to the
 * previous frame's (a line that did not change is not tokenised again; two frames' entries are held
 * at most), blank cells are one shared object, and a row whose cells are the very objects of the same
 * row in the previous frame reuses its text. Cells are only read once made, never changed.
 */
import fs from 'node:fs';
import type * as esbuild from 'esbuild';
import {replaceOnce} from './plugins.js';

const blank = `row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`;
const rows = `.map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`;
const helpers = `
let lastCaches;
const BLANK_CELL = {type: 'char', value: ' ', fullWidth: false, styles: []};
function rowText(caches, line, y) {
    const last = caches.previous?.rows[y];
    let same = last !== undefined && last.cells.length === line.length;
    for (let i = 0; same && i < line.length; i++) same = last.cells[i] === line[i];
    const text = same ? last.text : styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
    caches.rows[y] = {cells: line, text};
    return text;
}
`;

export const inkOutputPlugin: esbuild.Plugin = {
  name: 'undock-ink-output-across-frames',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, (args) => {
      const f = args.path;
      let text = fs.readFileSync(f, 'utf8');
      text = replaceOnce(f, text, 'class OutputCaches {\n', 'class OutputCaches {\n    previous;\n    rows = [];\n    constructor(previous) {\n        this.previous = previous;\n        if (previous) previous.previous = undefined;\n    }\n');
      text = replaceOnce(f, text, 'cached = styledCharsFromTokens(tokenize(line));', 'cached = this.previous?.styledChars.get(line) ?? styledCharsFromTokens(tokenize(line));');
      text = replaceOnce(f, text, 'cached = stringWidth(text);', 'cached = this.previous?.widths.get(text) ?? stringWidth(text);');
      text = replaceOnce(f, text, 'caches = new OutputCaches();', 'caches = (lastCaches = new OutputCaches(lastCaches));');
      text = replaceOnce(f, text, blank, 'row.push(BLANK_CELL);');
      text = replaceOnce(f, text, rows, '.map((line, y) => rowText(this.caches, line, y))');
      return {loader: 'js', contents: text + helpers};
    });
  },
};
