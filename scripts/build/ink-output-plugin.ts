/**
 * Ink's Output (build/output.js) as bundled: a frame's text from the previous frame's work.
 *
 * Ink builds every frame from nothing: a grid of fresh blank cells (one object per cell), every line
 * of every <Text> tokenized into styled cells (ansi-tokenize, an object per character), then each
 * grid line turned back into text by diffing neighbour cells' styles. Its caches live on the Output,
 * which is new each frame. A keypress in a table changes two lines of thirty, so nearly all of that
 * is done again for the same result: ~2/3 of a frame's CPU (`node --cpu-prof` on the CLI in a pty).
 *
 * Here the caches of one Output are looked up by the next (two frames' worth, no more), the blank
 * cell is one frozen object, and a grid line made of the same cell objects as a line of the previous
 * frame (at any row: a scroll moves them all) gives the same text without the style diff. The frame
 * text is unchanged.
 */
import fs from 'node:fs';
import type * as esbuild from 'esbuild';
import {replaceOnce} from './plugins.js';

const swaps: Array<[string, string]> = [
  // A line of a clipping box that lies wholly inside it is kept as it is: slice-ansi of all of it
  // gives the same cells, and its tokenizer's grapheme segmenter costs ICU's data at its first use.
  ['                            return sliceAnsi(line, from, to);', '                            return from === 0 && to >= width ? line : sliceAnsi(line, from, to);'],
  // The previous frame's caches, then none older (two frames in memory, never a chain).
  ['    caches = new OutputCaches();', '    caches = nextCaches();'],
  ['            cached = styledCharsFromTokens(tokenize(line));', '            cached = this.previous?.styledChars.get(line) ?? styledCharsFromTokens(tokenize(line));'],
  ['            cached = stringWidth(text);', '            cached = this.previous?.widths.get(text) ?? stringWidth(text);'],
  [
    `                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
    '                row.push(blankCell);',
  ],
  // A line of one-column characters (the usual case) is copied without a width lookup per character.
  [
    `                    for (const character of characters) {
                        currentLine[offsetX] = character;`,
    `                    characters.narrow ??= characters.every(character => this.caches.getStringWidth(character.value) <= 1);
                    if (characters.narrow) {
                        for (let index = 0; index < characters.length; index++) currentLine[offsetX + index] = characters[index];
                        offsetX += characters.length;
                    }
                    else for (const character of characters) {
                        currentLine[offsetX] = character;`,
  ],
  [
    `            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`,
    `            .map(line => this.caches.lineText(line, () => styledCharsToString(line.filter(item => item !== undefined)).trimEnd()))`,
  ],
];

const additions = `
// undock (scripts/build/ink-output-plugin.ts): caches kept from one frame to the next.
const blankCell = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});
let lastCaches;
function nextCaches() {
    const caches = new OutputCaches();
    if (lastCaches) lastCaches.previous = undefined;
    caches.previous = lastCaches;
    lastCaches = caches;
    return caches;
}
// A grid line's text, found by its cells (the same objects, wherever the line moved: a table that
// scrolls by a row moves every line up one), looked up by its first cell that is not blank.
OutputCaches.prototype.lineText = function (cells, build) {
    this.lines ??= new Map();
    let key = blankCell;
    for (const cell of cells) {
        if (cell !== blankCell) {
            key = cell;
            break;
        }
    }
    const same = (line) => line.cells.length === cells.length && line.cells.every((cell, x) => cell === cells[x]);
    const found = this.lines.get(key)?.find(same) ?? this.previous?.lines?.get(key)?.find(same);
    const text = found ? found.text : build();
    const here = this.lines.get(key);
    if (!found || !here?.includes(found)) {
        if (here) here.push({cells, text});
        else this.lines.set(key, [{cells, text}]);
    }
    return text;
};
`;

export const inkOutputPlugin: esbuild.Plugin = {
  name: 'undock-ink-output-frame-caches',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      for (const [from, to] of swaps) text = replaceOnce(args.path, text, from, to);
      return {loader: 'js', contents: text + additions};
    });
    // Each <Text> is measured (widest-line: string-width, a grapheme segmenter past ASCII) on every
    // frame to decide whether to wrap it; Yoga measured the same text through measureText, which
    // keeps it (Ink's own cache, by text): the width is taken from there.
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(args.path, text, "import widestLine from 'widest-line';", "import measureText from './measure-text.js';");
      text = replaceOnce(args.path, text, 'const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;');
      return {loader: 'js', contents: text};
    });
  },
};

// Ink's incremental log-update (render option incrementalRendering: only the lines that changed are
// written) climbs back to the frame's first line with cursorUp(lines - 1), right when the cursor is on
// the frame's last line (a frame as tall as the terminal, written without a trailing newline) but one
// short when the frame ended with one (undock's: a line shorter than the terminal), which drew every
// later frame one line low. Climbs from where the cursor is.
export const inkIncrementalPlugin: esbuild.Plugin = {
  name: 'undock-ink-incremental-cursor',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const contents = replaceOnce(
        args.path,
        text,
        'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
        "buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));",
      );
      return {loader: 'js', contents};
    });
  },
};
