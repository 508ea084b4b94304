import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = new URL(".", import.meta.url).pathname;

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: `${webRoot}dist`,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://127.0.0.1:3000", changeOrigin: false } },
    // The web app imports the pure domain code from ../src/domain.
    fs: { allow: [new URL("..", import.meta.url).pathname] },
  },
});
