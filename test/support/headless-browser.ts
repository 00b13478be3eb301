import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser } from "puppeteer-core";

/*
 * A real headless browser for tests, driven over the DevTools protocol by puppeteer-core, that needs
 * nothing but `npm install`: @sparticuz/chromium ships a headless-shell Chromium for Linux (x64) inside
 * the npm package. `CHROMIUM=/path/to/chromium` selects a system browser instead (Debian's chromium,
 * Google Chrome: anything puppeteer-core can launch); on macOS and Windows, where the npm binary
 * cannot run, an installed Google Chrome is used unless CHROMIUM says otherwise.
 *
 * Driving the npm binary with its own command-line modes (--dump-dom, --screenshot) hangs on this
 * machine kind, with or without the package's Lambda flags; driven through the DevTools protocol
 * it renders at once. The package's Lambda flags (--single-process, --disable-web-security, ...) are
 * not needed outside Lambda, so both browsers get the same flags: the ones a closed network needs.
 */

const FLAGS = [
  "--no-sandbox", // tests run as root on CI
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these Chromium calls home at start, and a machine without internet refuses it, many times over.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const root = path.resolve(import.meta.dirname, "../..");

export async function launchHeadlessBrowser(): Promise<Browser> {
  const system = process.env.CHROMIUM;
  if (system) {
    if (!existsSync(system))
      throw new Error(
        `CHROMIUM=${system} does not exist: set CHROMIUM to a Chromium or Chrome executable's path (for example /usr/bin/chromium), or unset it to use the npm-installed @sparticuz/chromium`,
      );
    return puppeteer.launch({ executablePath: system, headless: true, args: FLAGS });
  }
  if (process.platform !== "linux")
    return puppeteer.launch({ channel: "chrome", headless: true, args: FLAGS }).catch((error: Error) => {
      throw new Error(
        `@sparticuz/chromium runs on Linux only and no installed Google Chrome was found (${error.message}): set CHROMIUM to a Chromium or Chrome executable's path`,
      );
    });
  return puppeteer.launch({ executablePath: await npmChromium(), headless: "shell", args: FLAGS });
}

/**
 * The npm package's Chromium, decompressed once per installed version into node_modules/.cache. The
 * package decompresses into os.tmpdir() and reuses whatever `chromium` file it finds there, even one
 * half-written by a process that was stopped, or another version's: so it decompresses into a
 * directory of its own here, renamed into place only when complete.
 */
async function npmChromium(): Promise<string> {
  const packageJson = path.join(root, "node_modules", "@sparticuz", "chromium", "package.json");
  const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };
  const cache = path.join(
    root,
    "node_modules",
    ".cache",
    "okta-aws-lifecycle",
    `sparticuz-chromium-${version}`,
  );
  const binary = path.join(cache, "chromium");
  if (existsSync(binary)) return binary;

  const partial = `${cache}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = partial; // executablePath() decompresses into os.tmpdir()
  try {
    await chromium.executablePath();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  try {
    await rename(partial, cache);
  } catch (error) {
    // Another process finished first: its copy is complete, ours is not needed.
    if (!existsSync(binary)) throw error;
    await rm(partial, { recursive: true, force: true });
  }
  return binary;
}
