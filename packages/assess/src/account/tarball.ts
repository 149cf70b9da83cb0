import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A minimal ustar archive (files under package/), enough for a registry to accept a publish. */
export function packTarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(`package/${name}`, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** The JSON body `npm publish` sends: one version and its tarball as an attachment. */
export function publishBody(registry: string, name: string, version: string, files: Record<string, string>): { body: string; integrity: string } {
  const manifest = { name, version, description: 'bulwark assess probe package; safe to delete', main: 'index.js' };
  const tarball = packTarball({ 'package.json': JSON.stringify(manifest, null, 2), ...files });
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const file = `${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const body = {
    _id: name, name, description: manifest.description,
    'dist-tags': { latest: version },
    versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist: { integrity, shasum, tarball: `${base}${name}/-/${file}` } } },
    access: 'public',
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  return { body: JSON.stringify(body), integrity };
}
