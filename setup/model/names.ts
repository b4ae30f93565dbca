/** Names (of environments, vault items, applications) compare trimmed and case-insensitively: the registry's key too. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}
