// What the browser benchmarks share: Debian's Chromium, and a page on slow
// 4G (150 ms RTT, 1.6 Mbps down, 750 kbps up) with the CPU `cpu`× slower.
import { chromium } from "../end2end/node_modules/playwright-core/index.mjs";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
}

/** Throttles `page`'s network and CPU; returns its CDP session. */
export async function slow4g(context, page, cpu) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1000 * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  if (cpu > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  return cdp;
}
