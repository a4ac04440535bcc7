import { describe, expect, it } from 'vitest';
import { splitShellCommand } from './shell-words';

// What each simple command receives, as a shell would split it: its words (with the code of any
// substitution after a `$`), whether its input is piped, and its here-documents.
const commandsOf = (source: string) =>
  splitShellCommand(source).map(({ words, piped, heredocs }) => ({
    words: words.map(({ text, substitutions }) =>
      substitutions.length ? `${text}$${substitutions.join('$')}` : text,
    ),
    piped,
    heredocs,
  }));
const wordsOf = (source: string) => commandsOf(source).map(({ words }) => words);

describe('splitShellCommand', () => {
  it('finds no command in blank or empty input', () => {
    expect(commandsOf('')).toEqual([]);
    expect(commandsOf('  \t ')).toEqual([]);
    expect(commandsOf(';;\n;')).toEqual([]);
  });

  it('splits words on blanks and commands on ; & && || line breaks and parentheses', () => {
    expect(commandsOf('ls  -la ')).toEqual([{ words: ['ls', '-la'], piped: false, heredocs: [] }]);
    expect(wordsOf('a;b&c&&d||e\nf(g)h')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
    expect(wordsOf('a;;b')).toEqual([['a'], ['b']]);
  });

  it('says which commands read the output of the one before', () => {
    expect(commandsOf('a | b |& c || d').map(({ piped }) => piped)).toEqual([false, true, true, false]);
  });

  it('takes redirections apart from their words', () => {
    expect(wordsOf('cat<in>out 2>err')).toEqual([['cat', 'in', 'out', '2', 'err']]);
    expect(wordsOf('cat < <(ls)')).toEqual([['cat', '$ls']]);
  });

  it('takes quotes and backslashes off, as the command receives its words', () => {
    expect(wordsOf(`"git" 'add' g\\it "a b" 'c"d' "e'f"`)).toEqual([
      ['git', 'add', 'git', 'a b', 'c"d', "e'f"],
    ]);
    expect(wordsOf('echo \\  x')).toEqual([['echo', ' ', 'x']]);
    expect(wordsOf("echo '' x")).toEqual([['echo', '', 'x']]);
    // In double quotes a backslash escapes only " \ $ and `.
    expect(wordsOf('echo "a\\"b\\\\c\\$d\\`e\\nf"')).toEqual([['echo', 'a"b\\c$d`e\\nf']]);
    expect(wordsOf('echo "$HOME" "f(x) y"')).toEqual([['echo', '$HOME', 'f(x) y']]);
  });

  it('joins lines at a backslash before the line break', () => {
    expect(wordsOf('ec\\\nho hi \\\n there')).toEqual([['echo', 'hi', 'there']]);
  });

  it('reads ANSI-C quoting: hex, octal and named escapes', () => {
    expect(wordsOf("$'\\x67it' $'\\147\\151\\164' $'\\x7' $'a\\tb\\nc\\'d'")).toEqual([
      ['git', 'git', '\u0007', "a\tb\nc'd"],
    ]);
    // Escapes read only where they stand.
    expect(wordsOf("$'\\nx41' $'\\tb7' $'\\1411'")).toEqual([['\nx41', '\tb7', 'a1']]);
  });

  it('keeps the code of $(…), `…`, <(…) and >(…) beside its word, in quotes or not', () => {
    expect(wordsOf('echo a$(date)b "c$(pwd)d" e`id`f "g`who`h" <(ls x) >(cat)')).toEqual([
      ['echo', 'ab$date', 'cd$pwd', 'ef$id', 'gh$who', '$ls x', '$cat'],
    ]);
  });

  it('finds the end of a substitution past nested parentheses, quoted ones and escaped ones', () => {
    expect(wordsOf("echo $(a (b) ')' \\) c) d")).toEqual([['echo', "$a (b) ')' \\) c", 'd']]);
    expect(wordsOf("echo $(a ' ) ' b) d")).toEqual([['echo', "$a ' ) ' b", 'd']]);
    expect(wordsOf('echo "$(a (b) c)" d')).toEqual([['echo', '$a (b) c', 'd']]);
  });

  it('reads what is there of an unterminated quote or substitution', () => {
    expect(wordsOf("echo 'ab")).toEqual([['echo', 'ab']]);
    expect(wordsOf('echo "ab')).toEqual([['echo', 'ab']]);
    expect(wordsOf("echo $'ab")).toEqual([['echo', 'ab']]);
    expect(wordsOf('echo a\\')).toEqual([['echo', 'a']]);
    expect(wordsOf('echo $(ls -l')).toEqual([['echo', '$ls -l']]);
    expect(wordsOf('echo `ls -l')).toEqual([['echo', '$ls -l']]);
    expect(wordsOf('echo "`ls -l')).toEqual([['echo', '$ls -l']]);
  });

  it('drops a comment to the end of its line, but not a # inside a word', () => {
    expect(wordsOf('echo a#b # c d\necho e')).toEqual([
      ['echo', 'a#b'],
      ['echo', 'e'],
    ]);
    expect(wordsOf('# only a comment')).toEqual([]);
  });

  it('gives each here-document its body, whatever its delimiter is quoted with', () => {
    const source = [
      'cat <<EOF; cat <<-\'END\' >out; cat <<"A B"',
      'one',
      'EOF',
      '\ttwo',
      '\tEND',
      'three',
      'A B',
      'ls <<\\X',
      'four',
      'X',
      'echo done',
    ].join('\n');
    expect(commandsOf(source)).toEqual([
      { words: ['cat'], piped: false, heredocs: ['one'] },
      { words: ['cat', 'out'], piped: false, heredocs: ['\ttwo'] },
      { words: ['cat'], piped: false, heredocs: ['three'] },
      { words: ['ls'], piped: false, heredocs: ['four'] },
      { words: ['echo', 'done'], piped: false, heredocs: [] },
    ]);
  });

  it('reads a here-document left open to the end, and a << with no delimiter as nothing', () => {
    expect(commandsOf('cat <<EOF\na\nb')).toEqual([{ words: ['cat'], piped: false, heredocs: ['a\nb'] }]);
    expect(commandsOf('cat << \nls')).toEqual([
      { words: ['cat'], piped: false, heredocs: [] },
      { words: ['ls'], piped: false, heredocs: [] },
    ]);
  });

  it('keeps a here-string as a word and as the input of its command', () => {
    expect(commandsOf('bash <<< "git add ." ; ls')).toEqual([
      { words: ['bash', 'git add .'], piped: false, heredocs: ['git add .'] },
      { words: ['ls'], piped: false, heredocs: [] },
    ]);
    expect(commandsOf('cat x<<<y')).toEqual([{ words: ['cat', 'x', 'y'], piped: false, heredocs: ['y'] }]);
    expect(commandsOf('cat x<<EOF\ny\nEOF')).toEqual([
      { words: ['cat', 'x'], piped: false, heredocs: ['y'] },
    ]);
  });
});
