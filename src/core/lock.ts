/** golang-migrate's salt for MySQL advisory lock names (`database.GenerateAdvisoryLockId`). */
const ADVISORY_LOCK_SALT = 1486364155;

const CRC32_IEEE_TABLE = buildCrc32Table(0xedb88320);

function buildCrc32Table(reversedPolynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? reversedPolynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE polynomial, as Go's `crc32.ChecksumIEEE`) of the bytes given. */
export function crc32Ieee(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32_IEEE_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The name golang-migrate passes to `GET_LOCK` for this database and version table, so that a terminal `migrate` and
 * Migration Lens exclude each other.
 */
export function advisoryLockName(databaseName: string, migrationsTable: string): string {
  const checksum = crc32Ieee(new TextEncoder().encode(`${databaseName}:${migrationsTable}`));
  return String(Math.imul(checksum, ADVISORY_LOCK_SALT) >>> 0);
}
