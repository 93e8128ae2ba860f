// The password step's floor on this machine: a bare node:http server whose every POST is one argon2id
// verify (the parameters of lib/auth/password.ts) of the JSON body's password, answered `{"ok":true}`.
// No database, no framework: what any HTTP password step costs at least here (bench/password-step.ts).
// Usage: node bench/peers/bare-verify-server.mjs <port> <password>
import http from "node:http";
import { hash, verify } from "@node-rs/argon2";

const [port, password] = [Number(process.argv[2]), process.argv[3]];
const stored = await hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const ok = await verify(stored, JSON.parse(Buffer.concat(chunks).toString()).password).catch(() => false);
    const body = JSON.stringify({ ok });
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
