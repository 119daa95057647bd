/** Files the scanner does not read, said so explicitly: lockfiles and binaries. */

/** Dependency lockfiles: machine-written, full of integrity hashes that look like secrets. */
export const DEFAULT_LOCKFILES: readonly string[] = [
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/yarn.lock",
  "**/pnpm-lock.yaml",
  "**/bun.lock",
  "**/bun.lockb",
  "**/Cargo.lock",
  "**/go.sum",
  "**/poetry.lock",
  "**/Pipfile.lock",
  "**/uv.lock",
  "**/pdm.lock",
  "**/Gemfile.lock",
  "**/composer.lock",
  "**/mix.lock",
  "**/pubspec.lock",
  "**/Podfile.lock",
  "**/packages.lock.json",
  "**/gradle.lockfile",
  "**/flake.lock",
  "**/.terraform.lock.hcl",
  "**/deno.lock",
  "**/Package.resolved",
];

/** Extensions of formats that are binary (images, archives, fonts, media, compiled code, documents). */
const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico webp avif tiff tif psd heic icns " +
    "zip gz tgz bz2 xz 7z rar tar zst lz4 jar war ear aar apk ipa whl nupkg gem crate deb rpm dmg iso msi " +
    "woff woff2 ttf otf eot " +
    "mp3 mp4 m4a wav ogg flac mov avi mkv webm " +
    "egg " +
    "exe dll so dylib a o obj lib class pyc pyo wasm node bin dat " +
    "pdf doc docx xls xlsx ppt pptx odt ods odp " +
    "sqlite sqlite3 db parquet avro orc npy npz pkl pt onnx h5"
  ).split(" "),
);

export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return false;
  return BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** Content sniffing as git does it: a NUL among the first 8000 characters. */
export function looksBinary(content: string): boolean {
  return content.slice(0, 8000).includes("\u0000");
}

/** A facts provider's reason for content it did not return because it is binary (not a miss). */
export const BINARY_CONTENT_REASON = "a binary file";
