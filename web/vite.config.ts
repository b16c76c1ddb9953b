import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npx vite --config web/vite.config.ts` serves the pages with hot reload and passes API calls
// to a Tessera started with PUBLIC_URL set to this dev server (http://localhost:5173), so
// cookies, the origin check and mailed links all name the page the browser is on.
const api = process.env.TESSERA_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": api, "/auth": api, "/dev": api },
  },
});
