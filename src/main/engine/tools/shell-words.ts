// A shell command split into words the way a shell splits them, for checks that must not be
// fooled by spelling: quotes and backslashes come off (`"git" add .`, `g\it`, `$'\x67it'`), and
// `;`, `&&`, `||`, `|`, line breaks and parentheses end a command. Code in `$(…)`, backticks,
// `<(…)` and here-documents is kept as text beside the word or command it belongs to.

export interface Word {
  /** The word as the command receives it: quotes and escapes taken off. */
  text: string;
  /** Code inside `$(…)`, backticks, `<(…)` or `>(…)` in this word. */
  substitutions: string[];
}

export interface SimpleCommand {
  words: Word[];
  /** Its standard input is the output of the command before it (`a | b`). */
  piped: boolean;
  /** The bodies of its here-documents (`<<EOF`) and here-strings (`<<< '…'`): data for `cat`, code for a shell. */
  heredocs: string[];
}

/**
 * Reads a shell command into simple commands, as far as a check needs it (not a full shell
 * grammar). Substitutions are kept on their word and here-documents on their command, to be read too.
 */
export function splitShellCommand(source: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let piped = false;
  let text = '';
  let substitutions: string[] = [];
  let inWord = false;
  let heredocs: string[] = [];
  // The next word follows `<<<`: the command's input as well as a word.
  let hereString = false;
  // Here-documents opened on this line: their bodies start after its line break.
  let opened: Array<{ delimiter: string; into: string[] }> = [];
  const endWord = () => {
    if (inWord) {
      words.push({ text, substitutions });
      if (hereString) heredocs.push(text);
      hereString = false;
    }
    text = '';
    substitutions = [];
    inWord = false;
  };
  const endCommand = (nextPiped: boolean) => {
    endWord();
    if (words.length > 0) commands.push({ words, piped, heredocs });
    words = [];
    heredocs = [];
    hereString = false;
    piped = nextPiped;
  };
  /** The index of the `)` closing a group opened just before `start` (quotes respected), or the end. */
  const closing = (start: number): number => {
    let depth = 1;
    for (let i = start; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (c === "'") i = Math.max(source.indexOf("'", i + 1), i);
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    return source.length;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    const next = source[i + 1] ?? '';
    if (c === '\\') {
      // A backslash keeps the next character as it is; before a line break it joins the lines.
      if (next !== '\n') {
        text += next;
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const end = source.indexOf("'", i + 1);
      text += source.slice(i + 1, end === -1 ? undefined : end);
      inWord = true;
      i = end === -1 ? source.length : end + 1;
    } else if (c === '$' && next === "'") {
      // ANSI-C quoting: $'\x67it' is git.
      let j = i + 2;
      while (j < source.length && source[j] !== "'") {
        if (source[j] === '\\') {
          const rest = source.slice(j + 1);
          const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
          const octal = /^([0-7]{1,3})/.exec(rest);
          if (hex?.[1]) {
            text += String.fromCharCode(parseInt(hex[1], 16));
            j += 1 + hex[0].length;
          } else if (octal?.[1]) {
            text += String.fromCharCode(parseInt(octal[1], 8));
            j += 1 + octal[0].length;
          } else {
            const escaped = rest[0] ?? '';
            text += ({ n: '\n', t: '\t' } as Record<string, string>)[escaped] ?? escaped;
            j += 2;
          }
        } else {
          text += source[j];
          j++;
        }
      }
      inWord = true;
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') {
        const d = source[j];
        if (d === '\\' && '"\\$`'.includes(source[j + 1] ?? '')) {
          text += source[j + 1];
          j += 2;
        } else if (d === '$' && source[j + 1] === '(') {
          const end = closing(j + 2);
          substitutions.push(source.slice(j + 2, end));
          j = end + 1;
        } else if (d === '`') {
          const end = source.indexOf('`', j + 1);
          substitutions.push(source.slice(j + 1, end === -1 ? undefined : end));
          j = end === -1 ? source.length : end + 1;
        } else {
          text += d;
          j++;
        }
      }
      inWord = true;
      i = j + 1;
    } else if ((c === '$' || c === '<' || c === '>') && next === '(') {
      const end = closing(i + 2);
      substitutions.push(source.slice(i + 2, end));
      inWord = true;
      i = end + 1;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      substitutions.push(source.slice(i + 1, end === -1 ? undefined : end));
      inWord = true;
      i = end === -1 ? source.length : end + 1;
    } else if (c === '#' && !inWord) {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (c === '|') {
      // `||` runs the next command on failure; `|` and `|&` feed it this one's output.
      const or = next === '|';
      endCommand(!or);
      i += or || next === '&' ? 2 : 1;
    } else if (c === '<' && next === '<' && source[i + 2] === '<') {
      endWord();
      hereString = true;
      i += 3;
    } else if (c === '<' && next === '<') {
      endWord();
      const delimiter = /^-?[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|([^\s;&|<>()]+))/.exec(
        source.slice(i + 2, i + 2 + 256),
      );
      const word = delimiter?.[1] ?? delimiter?.[2] ?? delimiter?.[3];
      if (delimiter && word) opened.push({ delimiter: word.replaceAll('\\', ''), into: heredocs });
      i += 2 + (delimiter?.[0].length ?? 0);
    } else if (c === '\n') {
      // A line break ends the command; the bodies of the here-documents opened on its line follow.
      endCommand(false);
      i++;
      for (const { delimiter, into } of opened) {
        const body: string[] = [];
        while (i < source.length) {
          const end = source.indexOf('\n', i);
          const line = source.slice(i, end === -1 ? undefined : end);
          i = end === -1 ? source.length : end + 1;
          if (line.trim() === delimiter) break;
          body.push(line);
        }
        into.push(body.join('\n'));
      }
      opened = [];
    } else if (c === ';' || c === '&' || c === '(' || c === ')') {
      endCommand(false);
      i++;
    } else if (c === ' ' || c === '\t' || c === '<' || c === '>') {
      endWord();
      i++;
    } else {
      text += c;
      inWord = true;
      i++;
    }
  }
  endCommand(false);
  return commands;
}
