/** One module reference in a source file, as the architecture check sees it. */
export interface ImportRef {
  specifier: string;
  line: number;
  kind: 'import' | 'side-effect' | 'export-from' | 'dynamic';
  /** Erased at compile time: `import type`, `export type`, or every named binding marked `type`. */
  typeOnly: boolean;
}

interface Masked {
  /** The text with comments blanked and string contents replaced by `_` (newlines kept). */
  code: string;
  /** Quote offset -> the literal's value, for strings and templates without `${}`. */
  strings: Map<number, string>;
}

// After these an expression may start: a `/` is a regex, not a division, and a quote opens a string
// (after any other word it cannot, which is how "don't" in JSX text is told from a string).
const EXPR_AFTER = new Set([...'(,=:[!&|?{};+-*%<>~^']);
const EXPR_AFTER_WORDS = /(?:^|[^\w$])(?:return|typeof|case|in|of|new|delete|void|throw|yield|await|from|import|else|do|instanceof|as|satisfies|extends|keyof|is)$/;

/**
 * Blanks comments and string contents so that text inside them never reads as an import. A quote
 * where no expression can start, or that meets a newline before it closes, was not a string (JSX
 * text such as "don't"): it is left as code.
 */
export function mask(src: string): Masked {
  const out = src.split('');
  const strings = new Map<number, string>();
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = k === from || k === to - 1 ? out[k]! : '_';
  };
  const wipe = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const braces: number[] = []; // brace depth at each open `${`, to find where the template resumes
  let depth = 0;
  let last = ''; // the last significant code character ('w' for a word), to tell a regex or string from text
  let i = 0;
  const exprMayStart = () => last === '' || EXPR_AFTER.has(last) || (last === 'w' && EXPR_AFTER_WORDS.test(out.slice(Math.max(0, i - 40), i).join('').trimEnd()));
  const template = (start: number): void => {
    // From just after a backtick or `}` of `${}` to the closing backtick or the next `${`.
    let j = start;
    let value = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') { value += src[j + 1] ?? ''; j += 2; continue; }
      if (src[j] === '$' && src[j + 1] === '{') {
        for (let k = start; k < j; k++) if (out[k] !== '\n') out[k] = '_';
        braces.push(depth);
        depth++;
        i = j + 2;
        last = '{';
        return;
      }
      value += src[j];
      j++;
    }
    for (let k = start; k < j; k++) if (out[k] !== '\n') out[k] = '_';
    if (src[start - 1] === '`') strings.set(start - 1, value);
    i = j + 1;
    last = '`';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      wipe(i, end < 0 ? src.length : end);
      i = end < 0 ? src.length : end;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      wipe(i, stop);
      i = stop;
    } else if (c === '/' && last !== '<' && last !== '>' && !(last === '}' && src[i + 1] === '>') && exprMayStart()) {
      // Not after < or > or as `} />`: that is JSX (`</Text>`, `<Text>/path`, `b={x} />`).
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      if (src[j] === '/') {
        blank(i, j + 1);
        i = j + 1;
        last = '/';
      } else {
        i++; // not a regex after all
        last = c;
      }
    } else if ((c === "'" || c === '"') && exprMayStart()) {
      let j = i + 1;
      let value = '';
      while (j < src.length && src[j] !== c && src[j] !== '\n') {
        if (src[j] === '\\') { value += src[j + 1] ?? ''; j += 2; continue; }
        value += src[j];
        j++;
      }
      if (src[j] === c) {
        blank(i, j + 1);
        strings.set(i, value);
        i = j + 1;
        last = c;
      } else {
        i++;
      }
    } else if (c === '`') {
      template(i + 1);
    } else if (c === '}' && braces.length > 0 && depth - 1 === braces[braces.length - 1]) {
      braces.pop();
      depth--;
      template(i + 1);
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (!/\s/.test(c)) last = /[\w$]/.test(c) ? 'w' : c;
      i++;
    }
  }
  return {code: out.join(''), strings};
}

const ID = String.raw`[\w$]+`;
const KW = String.raw`(?<![.\w$])`; // a keyword, not a property (x.import) or part of a name
const NAMED = String.raw`\{[^{}]*\}`;
const Q = String.raw`(?<q>['"\x60])_*\k<q>`; // a masked string literal; group q's offset finds its value
const PATTERNS: {kind: ImportRef['kind']; re: RegExp}[] = [
  {kind: 'import', re: new RegExp(String.raw`${KW}import\s+(type\s+)?((?:${ID}\s*(?:,\s*)?)?(?:${NAMED}|\*\s*as\s+${ID})?)\s*from\s*${Q}`, 'dg')},
  {kind: 'side-effect', re: new RegExp(String.raw`${KW}import\s*()()${Q}`, 'dg')},
  {kind: 'export-from', re: new RegExp(String.raw`${KW}export\s+(type\s+)?(${NAMED}|\*(?:\s*as\s+${ID})?)\s*from\s*${Q}`, 'dg')},
  {kind: 'dynamic', re: new RegExp(String.raw`${KW}import\s*\(\s*()()${Q}\s*[,)]`, 'dg')},
];

/** `{type A, type B}` with no default binding is erased like `import type`. */
function allNamedAreTypes(clause: string): boolean {
  const named = /\{([^{}]*)\}/.exec(clause);
  if (!named || /^\s*[\w$]+\s*,/.test(clause)) return false;
  const names = named[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => /^type\s+/.test(n));
}

/** `typeof import('x')` and `import('x').Name` (not .then/.catch/.finally) are types, gone at run time. */
function isTypeImport(code: string, start: number, end: number): boolean {
  if (/(?<![\w$])typeof\s*$/.test(code.slice(Math.max(0, start - 20), start))) return true;
  const member = /^\s*\.\s*([\w$]+)/.exec(code.slice(end, end + 40));
  return member !== null && !['then', 'catch', 'finally'].includes(member[1]!) && code[end - 1] === ')';
}

/** Every static import, side-effect import, export-from and literal dynamic import in a TS/TSX source. */
export function parseImports(src: string): ImportRef[] {
  const {code, strings} = mask(src);
  const found: ImportRef[] = [];
  for (const {kind, re} of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(code); m; m = re.exec(code)) {
      const specifier = strings.get(m.indices!.groups!.q![0]);
      if (specifier === undefined) continue;
      const typeOnly = kind === 'dynamic' ? isTypeImport(code, m.index, m.index + m[0].length) : Boolean(m[1]) || allNamedAreTypes(m[2] ?? '');
      found.push({specifier, line: code.slice(0, m.index).split('\n').length, kind, typeOnly});
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
