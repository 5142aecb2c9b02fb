/**
 * Whether Python's re.compile() accepts a pattern, judged with JavaScript's RegExp after
 * translating the syntax the two spell differently (named groups and backreferences, inline
 * flags). Close enough for the simulator: both reject unbalanced brackets, dangling
 * quantifiers and bad escapes of the common kinds.
 */
export function compilesAsPythonRegex(pattern: string): boolean {
  const translated = pattern
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/^\(\?[aiLmsux]+\)/, "");
  try {
    new RegExp(translated, "u");
    return true;
  } catch {
    try {
      new RegExp(translated);
      return true;
    } catch {
      return false;
    }
  }
}
