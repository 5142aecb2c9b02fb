import { SLUG } from "./fields.ts";

const MAX_SLUG_LENGTH = 50;

/**
 * The slug a service gets when none is written: lowercase ASCII, accents dropped, every run of
 * other characters one "-", trimmed, at most 50 characters. Returns undefined when nothing is
 * left (a name written only in non-Latin script needs an explicit slug).
 */
export function deriveSlug(name: string): string | undefined {
  const ascii = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, "");
  return SLUG.test(slug) ? slug : undefined;
}
