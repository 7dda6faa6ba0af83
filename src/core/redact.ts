// What must never reach a log: credentials written into URLs (`https://user:token@cache.example`),
// as substituters, netrc-less private caches and git remotes often carry them.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/** `text` with the user-info part of every URL replaced by `***`. */
export function hideUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}
