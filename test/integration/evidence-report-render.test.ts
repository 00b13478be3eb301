import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { decode } from "fast-png";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExportModel } from "../../core/evidence/export-model.ts";
import { buildExportPackage } from "../../core/evidence/export-package.ts";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { verifyEvidence } from "../../core/evidence/verify-evidence.ts";
import { DAY1, DAY2, scenarioDrafts } from "../support/evidence-scenario.ts";
import { launchHeadlessBrowser } from "../support/headless-browser.ts";
import { signedBucket, testSigner } from "../unit/evidence/signed-bucket.ts";

/*
 * report.html in a real browser: headless Chromium from the npm registry (@sparticuz/chromium), or the
 * one CHROMIUM names (test/support/headless-browser.ts). The test takes a screenshot and checks it is a
 * drawn page, not a blank one, and reads the rendered DOM for the figures.
 */

describe("report.html in headless Chromium", () => {
  let dir: string;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    // Prepare: the export of the two-day scenario (leavers, joiner, mover, drift, snapshots)
    const signer = testSigner();
    const bucket = await signedBucket(scenarioDrafts(), signer);
    const period = { from: DAY1, to: DAY2 };
    const records = bucket.records.flatMap(({ key, text }) => {
      const parsed = parseEvidenceRecord(JSON.parse(text));
      return parsed.success ? [{ key, record: parsed.data }] : [];
    });
    const files = buildExportPackage({
      model: buildExportModel(records, { period }),
      verification: verifyEvidence({
        period,
        records: bucket.records,
        manifests: bucket.manifests,
        publicKeysPem: [signer.pem],
      }),
      generatedAt: `${DAY2}T23:30:00.000Z`,
      source: "s3://okta-aws-lifecycle-evidence",
      evidence: [...bucket.records, ...bucket.manifests],
    });
    dir = await mkdtemp(path.join(tmpdir(), "report-render-"));
    for (const file of files) {
      const target = path.join(dir, "export", file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    url = pathToFileURL(path.join(dir, "export", "report.html")).href;
    browser = await launchHeadlessBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("draws the page: the screenshot is 1280x1600, far from blank, with the charts' colours", async () => {
    // Act
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1600 });
    await page.goto(url, { waitUntil: "load" });
    const png = await page.screenshot({ type: "png" });

    // Assess
    const image = decode(png);
    expect([image.width, image.height]).toEqual([1280, 1600]);
    const colours = new Set<number>();
    let inked = 0;
    let green = 0;
    const step = image.channels;
    for (let i = 0; i < image.data.length; i += step) {
      const [r, g, b] = [image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number];
      colours.add((r << 16) | (g << 8) | b);
      if (r + g + b < 600) inked++;
      if (r === 0x2e && g === 0x7d && b === 0x32) green++;
    }
    const pixels = image.width * image.height;
    expect(colours.size).toBeGreaterThan(200); // text antialiasing, charts, cards: not a flat page
    expect(inked / pixels).toBeGreaterThan(0.05); // the header band alone is ~7% of the page
    expect(green).toBeGreaterThan(1_000); // the time-to-revoke bars and the SLA bar
  }, 120_000);

  it("renders the key figures, the tables and the record links in the DOM", async () => {
    // Act
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "load" });
    const dom = await page.content();

    // Assess
    expect(dom).toContain('data-figure="leavers"><div class="label">Leavers</div><div class="value">4</div>');
    expect(dom).toContain('<div class="label">SLA met (1 h 00 min)</div><div class="value">1 / 3</div>');
    expect(dom).toContain('<div class="label">Median time-to-revoke</div><div class="value">40.0 s</div>');
    expect(dom).toContain('<div class="label">Integrity</div><div class="value">verified</div>');
    expect(dom).toContain('<a href="records/v1/runs/2024/05/01/090041000-user-alice.run.json">record</a>');
    expect(dom).toMatch(/<svg[^>]*role="img"/);
    expect(dom).not.toContain("<script");
  }, 120_000);
});
