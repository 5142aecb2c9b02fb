/**
 * Grafana's slugify for URLs: lower case, accents dropped, every run of other characters
 * becomes one dash. Used in dashboard and folder URLs, which clients sometimes compare.
 */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function dashboardUrl(uid: string, title: string): string {
  return `/d/${uid}/${slugify(title)}`;
}

export function folderUrl(uid: string, title: string): string {
  return `/dashboards/f/${uid}/${slugify(title)}`;
}

/** util.IsValidShortUID / IsShortUIDTooLong, as dashboards and folders check them. */
export function uidProblem(uid: string): string | undefined {
  if (!/^[a-zA-Z0-9\-_]*$/.test(uid)) return "uid contains illegal characters";
  if (uid.length > 40) return "uid too long, max 40 characters";
  return undefined;
}
