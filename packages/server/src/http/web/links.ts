/** Web UI URLs. Scoped names keep their "/" (`@scope/name`); each part is URI-encoded. */
export function packageHref(base: string, name: string): string {
  return `${base}/-/ui/package/${name.split('/').map(encodeURIComponent).join('/')}`;
}

export function versionHref(base: string, name: string, version: string): string {
  return `${packageHref(base, name)}/v/${encodeURIComponent(version)}`;
}
