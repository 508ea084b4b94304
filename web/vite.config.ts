import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Plain URL handling keeps this file free of Node types, so the web tsconfig can check it.
const webRoot = decodeURIComponent(new URL(".", import.meta.url).pathname);
const repoRoot = decodeURIComponent(new URL("..", import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react()],
  resolve: {
    // The web app shares the server's pure domain code (lifecycle, roles, agreement types).
    alias: { "@domain": `${repoRoot}src/domain` },
  },
  build: {
    outDir: `${webRoot}dist`,
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://127.0.0.1:3000" } },
    fs: { allow: [repoRoot] },
  },
});
