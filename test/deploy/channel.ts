import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Package {
  fileName: string;
  index: Record<string, unknown>;
  bytes: Buffer;
  sha256: string;
}

export interface ChannelPackageSpec {
  name: string;
  version: string;
  /** Random bytes in the payload: more than 10 KiB makes a range reader fetch only a part. */
  payloadBytes: number;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A real `.conda` package built by Debian's `cph create` from a folder with info/index.json. */
async function buildPackage(outFolder: string, spec: ChannelPackageSpec): Promise<Package> {
  const source = await mkdtemp(path.join(outFolder, ".build-"));
  const index = {
    name: spec.name,
    version: spec.version,
    build: "0",
    build_number: 0,
    depends: [],
    license: "MIT",
    noarch: "generic",
    subdir: "noarch",
  };
  const payload = `share/${spec.name}/payload.bin`;

  await mkdir(path.join(source, "info"), { recursive: true });
  await mkdir(path.join(source, "share", spec.name), { recursive: true });
  await writeFile(path.join(source, "info", "index.json"), JSON.stringify(index, null, 2));
  await writeFile(path.join(source, "info", "files"), `${payload}\n`);
  await writeFile(path.join(source, payload), randomBytes(spec.payloadBytes));

  const fileName = `${spec.name}-${spec.version}-0.conda`;
  await run("/usr/bin/cph", ["create", source, fileName, "--out-folder", outFolder]);
  await rm(source, { recursive: true, force: true });

  const bytes = await readFile(path.join(outFolder, fileName));

  return { fileName, index, bytes, sha256: sha256(bytes) };
}

/**
 * A conda channel folder `<root>/<channel>/noarch/` with the packages and a repodata.json that
 * lists them with their sha256, md5 and size, the way a channel indexer writes it.
 */
export async function writeChannel(root: string, channel: string, specs: ChannelPackageSpec[]) {
  const folder = path.join(root, channel, "noarch");
  await mkdir(folder, { recursive: true });

  const packages: Package[] = [];
  for (const spec of specs) packages.push(await buildPackage(folder, spec));

  const listed = Object.fromEntries(
    packages.map((p) => [
      p.fileName,
      {
        ...p.index,
        sha256: p.sha256,
        md5: createHash("md5").update(p.bytes).digest("hex"),
        size: p.bytes.length,
      },
    ]),
  );
  const repodata = {
    info: { subdir: "noarch" },
    packages: {},
    "packages.conda": listed,
    removed: [],
    repodata_version: 1,
  };
  await writeFile(path.join(folder, "repodata.json"), JSON.stringify(repodata, null, 2));

  return { packages, repodata };
}
