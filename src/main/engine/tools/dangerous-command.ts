// Shell commands that deserve the user's eyes even when shell runs without asking ("auto next N",
// "always"). gptme refuses a similar list outright (its shell_validation); Deskmate asks again
// instead, with the reason on the card, so the user stays the one who decides (issue 13).
//
// The command is read the way a shell splits it, not matched as text: quotes and backslashes are
// taken off words (`"git" add .`, `g\it add .`), `sudo`, `env` and the like are looked through,
// and code handed to another shell (`sh -c '…'`, `eval …`, `$(…)`) is read too. A command a model
// hides better than that (in a variable, in a file it wrote first) is beyond any such check:
// approval is the control, and this only keeps a grant from covering the worst of it.

interface Word {
  /** The word as the command receives it: quotes and escapes taken off. */
  text: string;
  /** Code inside `$(…)`, backticks, `<(…)` or `>(…)` in this word. */
  substitutions: string[];
}

interface SimpleCommand {
  words: Word[];
  /** Its standard input is the output of the command before it (`a | b`). */
  piped: boolean;
  /** The bodies of its here-documents (`<<EOF`): data for `cat`, code for a shell. */
  heredocs: string[];
}

/** Reads a shell command into simple commands. Substitutions are kept on their word, to be read too. */
function lex(source: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let piped = false;
  let text = '';
  let substitutions: string[] = [];
  let inWord = false;
  let heredocs: string[] = [];
  // Here-documents opened on this line: their bodies start after its line break.
  let opened: Array<{ delimiter: string; into: string[] }> = [];
  const endWord = () => {
    if (inWord) words.push({ text, substitutions });
    text = '';
    substitutions = [];
    inWord = false;
  };
  const endCommand = (nextPiped: boolean) => {
    endWord();
    if (words.length > 0) commands.push({ words, piped, heredocs });
    words = [];
    heredocs = [];
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
    } else if (c === '<' && next === '<' && source[i + 2] !== '<') {
      endWord();
      const delimiter = /^-?[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|([^\s;&|<>()]+))/.exec(
        source.slice(i + 2, i + 2 + 256),
      );
      const word = delimiter?.[1] ?? delimiter?.[2] ?? delimiter?.[3];
      if (delimiter && word) opened.push({ delimiter: word.replaceAll('\\', ''), into: heredocs });
      i += 2 + (delimiter?.[0].length ?? 0);
    } else if (c === '\n' && opened.length > 0) {
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
    } else if (c === ';' || c === '&' || c === '\n' || c === '(' || c === ')') {
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

// Words that come before the command itself and change nothing about what it is.
const KEYWORDS = Object.freeze(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'time']);
// Commands that run the command after their options: look through them.
const WRAPPERS = Object.freeze([
  'sudo',
  'doas',
  'env',
  'command',
  'builtin',
  'exec',
  'nohup',
  'nice',
  'xargs',
  'stdbuf',
  'timeout',
  'unbuffer',
]);
// Each wrapper's options that take the next word as a value (a wrong guess would skip the command).
const WRAPPER_VALUES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  sudo: ['-u', '-g', '-h', '-p', '-C', '-D', '-U', '-r', '-t', '-T'],
  doas: ['-u', '-C'],
  env: ['-u', '-C', '-S'],
  nice: ['-n'],
  timeout: ['-s', '-k'],
  xargs: ['-I', '-L', '-P', '-d', '-E', '-n', '-s', '-a'],
  stdbuf: ['-i', '-o', '-e'],
});
const SHELLS = Object.freeze([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'busybox',
]);
const INTERPRETER = /^(?:python[0-9.]*|perl|ruby|node|nodejs|php|lua|deno|bun)$/;
const DOWNLOADER = /(?:^|[\s;|&(`/])(?:curl|wget|fetch|aria2c)(?=\s|$)/;
// How deep `sh -c "sh -c '…'"` is followed; deeper is itself a reason to look.
const MAX_DEPTH = 4;

const base = (word: string) => word.slice(word.lastIndexOf('/') + 1).toLowerCase();

/** The command's words from its name on: assignments, keywords and wrappers (with their options) skipped. */
function unwrap(words: readonly Word[]): Word[] {
  let i = 0;
  for (;;) {
    const word = words[i]?.text;
    if (word === undefined) return [];
    if (KEYWORDS.includes(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i++;
    } else if (WRAPPERS.includes(base(word))) {
      const wrapper = base(word);
      i++;
      // Options and (for env) assignments; timeout's duration; then the command.
      while (
        words[i]?.text.startsWith('-') ||
        (wrapper === 'env' && /^[A-Za-z_]\w*=/.test(words[i]?.text ?? ''))
      ) {
        const option = words[i]?.text ?? '';
        i += WRAPPER_VALUES[wrapper]?.includes(option) ? 2 : 1;
      }
      if (wrapper === 'timeout' && /^[0-9.]+[smhd]?$/.test(words[i]?.text ?? '')) i++;
      if (wrapper === 'nice' && /^-?[0-9]+$/.test(words[i]?.text ?? '')) i++;
    } else {
      return words.slice(i);
    }
  }
}

/** Short option clusters (`-am`) and long options, for "does it have this flag". */
function hasFlag(args: readonly string[], short: string, long: readonly string[] = []): boolean {
  return args.some(
    (arg) =>
      long.includes(arg) || (/^-[A-Za-z]+$/.test(arg) && [...short].some((letter) => arg.includes(letter))),
  );
}

const BULK_GIT =
  'stages or commits every change at once, so files nobody meant to include (secrets, build output) go in; name the files instead';
const DESTRUCTIVE_GIT =
  'throws away commits or uncommitted work (hard reset, clean, force push, expiring the reflog, rewriting history); it cannot be undone';

function gitReason(args: readonly string[]): string | undefined {
  // Global options before the subcommand; -C and -c take a value.
  let i = 0;
  while (args[i]?.startsWith('-')) i += args[i] === '-C' || args[i] === '-c' ? 2 : 1;
  // Lower case, as gptme matches: on a case-insensitive file system `GIT` is git.
  const sub = args[i]?.toLowerCase();
  const rest = args.slice(i + 1);
  switch (sub) {
    case 'add':
      return rest.some((arg) => ['.', './', ':/', '*', '-A', '--all'].includes(arg)) || hasFlag(rest, 'A')
        ? BULK_GIT
        : undefined;
    case 'commit':
      return hasFlag(rest, 'a', ['--all']) ? BULK_GIT : undefined;
    case 'reset':
      return rest.includes('--hard') ? DESTRUCTIVE_GIT : undefined;
    case 'clean':
      return hasFlag(rest, 'fdxX', ['--force']) ? DESTRUCTIVE_GIT : undefined;
    case 'push':
      return hasFlag(rest, 'f', ['--force', '--mirror']) || rest.some((arg) => /^\+[^+]/.test(arg))
        ? DESTRUCTIVE_GIT
        : undefined;
    case 'reflog':
      return rest[0] === 'expire' ? DESTRUCTIVE_GIT : undefined;
    case 'filter-branch':
    case 'filter-repo':
      return DESTRUCTIVE_GIT;
    default:
      return undefined;
  }
}

/** Why one simple command is dangerous, if it is. `depth` counts the shells it is nested in. */
function commandReason(command: SimpleCommand, depth: number): string | undefined {
  const words = unwrap(command.words);
  const [first, ...argWords] = words;
  if (!first) return undefined;
  const name = base(first.text);
  const args = argWords.map((word) => word.text);
  const shell = SHELLS.includes(name);
  const interpreter = shell || INTERPRETER.test(name);

  // Code handed over as text is read as a command of its own.
  const codeIndex = args.findIndex((arg) => /^-[a-z]*c$/.test(arg) || arg === '--command');
  if (shell && codeIndex !== -1) {
    const inner = reasonAt(args[codeIndex + 1] ?? '', depth + 1);
    if (inner) return inner;
  }
  // A here-document is data, unless a shell reads it as its script (`bash <<EOF`).
  if (shell && codeIndex === -1) {
    for (const body of command.heredocs) {
      const inner = reasonAt(body, depth + 1);
      if (inner) return inner;
    }
  }
  if (name === 'eval') {
    const inner = reasonAt(args.join(' '), depth + 1);
    if (inner) return inner;
  }
  if (interpreter || name === 'eval' || name === 'source' || name === '.') {
    const runsDownload = argWords.some((word) => word.substitutions.some((code) => DOWNLOADER.test(code)));
    if (runsDownload) return 'runs a script downloaded from the network, unseen before it runs';
  }
  if (command.piped && interpreter) {
    // The program comes from the pipe unless it is given (-c, -e, -m, or a script file).
    const given = args.some(
      (arg) => /^-[A-Za-z]*[cemE]$/.test(arg) || arg === '--command' || !arg.startsWith('-'),
    );
    if (!given || args.includes('-') || args.includes('-s'))
      return 'runs whatever comes through the pipe as code (for example a script fetched with curl), unseen before it runs';
  }

  switch (name) {
    case 'git':
      return gitReason(args);
    case 'rm': {
      const recursive = hasFlag(args, 'rR', ['--recursive']);
      const wide = args.some(
        (arg) =>
          arg === '--no-preserve-root' ||
          ['*', '.', './', './*', '.*'].includes(arg) ||
          (!arg.startsWith('-') && /^(?:\/|~|\$HOME|\$\{HOME\}|\.\.(?:\/|$))/.test(arg)),
      );
      return recursive && wide
        ? 'deletes recursively from the root, the home folder, an absolute path or everything here; name the exact folder instead'
        : undefined;
    }
    case 'chmod': {
      const mode = args.find((arg) => !arg.startsWith('-'));
      const worldWritable =
        mode !== undefined &&
        (/^[0-7]{0,2}[0-7][2367]$/.test(mode) || /(?:^|,)[ugo]*[ao][ugo]*[+=][rwxXst]*w/.test(mode));
      return worldWritable ? 'makes files writable by every user on the machine; use 755 or 644' : undefined;
    }
    case 'pkill':
    case 'killall':
      return 'kills processes by name, which may hit more than the one meant; find its PID and use kill PID';
    case 'dd':
      return args.some((arg) => arg.startsWith('of=/dev/'))
        ? 'writes straight to a device, such as a disk'
        : undefined;
    default:
      return name.startsWith('mkfs') ? 'makes a new file system, erasing what the device holds' : undefined;
  }
}

function reasonAt(source: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return 'hands code to a shell inside a shell too many times over to be checked';
  for (const command of lex(source)) {
    const reason = commandReason(command, depth);
    if (reason) return reason;
    // `$(…)` and `<(…)` run too, wherever they stand.
    for (const word of command.words)
      for (const code of word.substitutions) {
        const inner = reasonAt(code, depth + 1);
        if (inner) return inner;
      }
  }
  return undefined;
}

/**
 * Why a shell command deserves the user's own look even under a grant (a sentence to show on the
 * card, starting in lower case after "This command"), or undefined for an ordinary command.
 */
export function dangerousCommand(command: string): string | undefined {
  return reasonAt(command, 0);
}
