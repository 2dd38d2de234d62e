// mcp_client.mjs: the official MCP TypeScript SDK's client driving `vncbot mcp`, for
// test_mcp_sdk_client.sh. One scenario per run (the first argument); the rest comes from the
// environment: MCP_SDK_DIR (where npm installed @modelcontextprotocol/sdk), VNCBOT, MCP_ADDR
// (the practice console), MCP_RECORD (--record DIR), MCP_STDERR (vncbot's stderr goes
// there), MCP_SECRET (the value of secret pw), MCP_RESPONSES (every result is appended there,
// for the test to search). Prints "ok: ..." lines; a failed check exits 1 saying what differed.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const env = process.env;
const sdk = (p) => import(pathToFileURL(path.join(env.MCP_SDK_DIR,
    "node_modules/@modelcontextprotocol/sdk/dist/esm", p)).href);
const { Client } = await sdk("client/index.js");
const { StdioClientTransport } = await sdk("client/stdio.js");

function check(cond, what) {
    if (!cond) {
        console.error(`FAIL: ${what}`);
        process.exit(1);
    }
}
const ok = (what) => console.log(`ok: ${what}`);
const keep = (x) => fs.appendFileSync(env.MCP_RESPONSES, JSON.stringify(x) + "\n");

let lastTransport;

async function open(args) {
    const stderr = fs.openSync(env.MCP_STDERR, "a");
    const transport = new StdioClientTransport({
        command: env.VNCBOT, args, stderr,
        env: { ...process.env, MCP_SECRET: env.MCP_SECRET ?? "" },
    });
    const client = new Client({ name: "vncbot-test", version: "1.0.0" });
    await client.connect(transport);
    lastTransport = transport;
    return client;
}

async function call(client, name, args) {
    const r = await client.callTool({ name, arguments: args });
    keep(r);
    return r;
}

// The width and height in a PNG's IHDR.
function pngSize(b64) {
    const png = Buffer.from(b64, "base64");
    check(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
          "capture returns a PNG (its signature)");
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

// What a JSON-RPC error the SDK throws carries.
async function rpcError(promise) {
    try {
        keep(await promise);
    } catch (e) {
        return e.code;
    }
    return undefined;
}

async function session() {
    const client = await open(["mcp", "-c", env.MCP_ADDR, "--secret", "pw=env:MCP_SECRET",
                               "--record", env.MCP_RECORD]);
    const { tools } = await client.listTools();
    keep(tools);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of ["connect", "key", "type", "type_secret", "down", "up", "wait", "expect",
                        "read", "capture", "disconnect", "run_script"])
        check(byName[name], `tools/list has ${name} (it has ${Object.keys(byName).join(", ")})`);
    const schema = (n) => byName[n].inputSchema;
    check(schema("key").properties.keys?.type === "string" &&
          schema("key").required?.includes("keys"), "key takes keys, required");
    check(schema("type").properties.text?.type === "string", "type takes text");
    check(schema("type_secret").properties.name && !schema("type_secret").properties.text,
          "type_secret takes a name, never a value");
    check(schema("down").properties.key && schema("up").properties.key, "down/up take key");
    check(schema("wait").properties.duration, "wait takes duration");
    check(schema("expect").properties.condition && schema("expect").properties.timeout &&
          !schema("expect").required?.includes("timeout"), "expect takes condition, timeout?");
    check(JSON.stringify(Object.keys(schema("capture").properties)) === '["region"]' &&
          !schema("capture").required, "capture takes region? only");
    check(Object.keys(schema("read").properties).join() === "region", "read takes region? only");
    ok(`${tools.length} tools listed with their schemas`);

    let r = await call(client, "type", { text: "hello mcp\n" });
    check(!r.isError, `type: ${JSON.stringify(r)}`);
    r = await call(client, "type_secret", { name: "pw" });
    check(!r.isError && !JSON.stringify(r).includes(env.MCP_SECRET), `type_secret: ${JSON.stringify(r)}`);
    ok("typed text and a secret by name");

    r = await call(client, "capture", {});
    check(!r.isError && r.content[0].type === "image" && r.content[0].mimeType === "image/png",
          `capture: ${JSON.stringify(r).slice(0, 200)}`);
    let [w, h] = pngSize(r.content[0].data);
    check(w === 1024 && h === 768, `capture: a 1024x768 PNG, got ${w}x${h}`);
    r = await call(client, "capture", { region: "10,20,64,32" });
    [w, h] = pngSize(r.content[0].data);
    check(w === 64 && h === 32, `capture in 10,20,64,32: a 64x32 PNG, got ${w}x${h}`);
    ok("captured the screen and a region as PNG");

    r = await call(client, "key", { keys: "nosuchkey" });
    check(r.isError && r.content[0].text.includes("unknown key 'nosuchkey'"),
          `key nosuchkey: a tool error saying so, got ${JSON.stringify(r)}`);
    r = await call(client, "type_secret", { name: "other" });
    check(r.isError && r.content[0].text.includes("other"), `type_secret other: ${JSON.stringify(r)}`);
    r = await call(client, "expect", { condition: "settled 200ms", timeout: "5s" });
    check(!r.isError, `expect settled after the errors: ${JSON.stringify(r)}`);
    check(await rpcError(client.callTool({ name: "nosuch", arguments: {} })) === -32602,
          "an unknown tool is a -32602 error");
    check(await rpcError(client.callTool({ name: "key", arguments: {} })) === -32602,
          "key without keys is a -32602 error");
    check(await rpcError(client.callTool({ name: "key", arguments: { keys: "a; type \"x\"" } })) === -32602,
          "a second statement in an argument is a -32602 error");
    ok("bad calls are errors, and the session stays usable");

    // run_script: a file runs whole; one with an error on its last line sends nothing.
    r = await call(client, "run_script", { file: env.MCP_SCRIPT_OK });
    check(!r.isError, `run_script ${env.MCP_SCRIPT_OK}: ${JSON.stringify(r)}`);
    r = await call(client, "run_script", { file: env.MCP_SCRIPT_BAD });
    check(r.isError && r.content[0].text.includes(`${env.MCP_SCRIPT_BAD}:2:`),
          `run_script with an error on line 2: FILE:2:COL, got ${JSON.stringify(r)}`);
    ok("run_script ran a file, and refused a broken one before sending anything");

    r = await call(client, "down", { key: "shift" });
    check(!r.isError, `down shift: ${JSON.stringify(r)}`);
    await client.close(); // closes vncbot's stdin
    ok("held shift and closed stdin");
}

async function read() {
    const client = await open(["mcp", "-c", env.MCP_ADDR, "--secret", "pw=env:MCP_SECRET"]);
    const r = await call(client, "read", {});
    check(!r.isError && /Microsoft/.test(r.content[0].text),
          `read: the cmd window's "Microsoft Windows", got ${JSON.stringify(r)}`);
    const r2 = await call(client, "read", { region: "0,0,1024,80" });
    check(!r2.isError, `read in a region: ${JSON.stringify(r2)}`);
    // The cmd window echoes what is typed: read shows the secret by name, never its value.
    const r3 = await call(client, "type_secret", { name: "pw" });
    check(!r3.isError, `type_secret pw: ${JSON.stringify(r3)}`);
    const r4 = await call(client, "read", {});
    const squeezed = r4.content[0].text.replace(/\s+/g, "").toLowerCase();
    check(!r4.isError && r4.content[0].text.includes("<secret pw>") &&
          !squeezed.includes(env.MCP_SECRET.toLowerCase()),
          `read after an echoed secret: shown as <secret pw>, got ${JSON.stringify(r4)}`);
    await client.close();
    ok(`read the screen's text (${r.content[0].text.split("\n").length} lines), an echoed secret as <secret pw>`);
}

async function connectLater() {
    // No console on the command line: connect gets the address; disconnect and connect again.
    const client = await open(["mcp"]);
    let r = await call(client, "key", { keys: "a" });
    check(r.isError, `key with no console: a tool error, got ${JSON.stringify(r)}`);
    r = await call(client, "connect", {});
    check(r.isError && /no console/.test(r.content[0].text), `connect without an address: ${JSON.stringify(r)}`);
    r = await call(client, "connect", { address: env.MCP_ADDR });
    check(!r.isError, `connect ${env.MCP_ADDR}: ${JSON.stringify(r)}`);
    r = await call(client, "down", { key: "ctrl" });
    check(!r.isError, `down ctrl: ${JSON.stringify(r)}`);
    r = await call(client, "disconnect", {});
    check(!r.isError, `disconnect: ${JSON.stringify(r)}`);
    r = await call(client, "key", { keys: "b" }); // connects again
    check(!r.isError, `key b after disconnect: ${JSON.stringify(r)}`);
    await client.close();
    ok("connect, down, disconnect, and a key on a new connection");
}

// Lines no SDK would send, written raw: each gets its JSON-RPC error, and the server ends
// when its stdin does.
async function raw() {
    const p = spawn(env.VNCBOT, ["mcp"], { stdio: ["pipe", "pipe", fs.openSync(env.MCP_STDERR, "a")] });
    const lines = [
        ["{bad json", -32700],
        ["[1, 2]", -32600],
        ['{"jsonrpc":"2.0","id":1,"method":7}', -32600],
        ['{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', -32600],
        ['{"jsonrpc":"2.0","id":2,"method":"no/such"}', -32601],
        ['{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nosuch"}}', -32602],
        ['{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"wait","arguments":{"duration":5}}}', -32602],
        ["\u0000\u00ff\u0001garbage", -32700],
        ['{"jsonrpc":"2.0","id":5,"method":"ping"}', null],
    ];
    let out = "";
    p.stdout.on("data", (d) => { out += d; });
    for (const [l] of lines)
        p.stdin.write(l + "\n");
    p.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    p.stdin.end();
    const code = await new Promise((resolve) => {
        const t = setTimeout(() => { p.kill("SIGKILL"); resolve("hung"); }, 20000);
        p.on("exit", (c, s) => { clearTimeout(t); resolve(s ?? c); });
    });
    check(code === 0, `vncbot mcp exits 0 when stdin ends, got ${code}; stdout: ${out}`);
    const got = out.trim().split("\n").map((l) => JSON.parse(l));
    check(got.length === lines.length, `one response a request, got ${got.length}: ${out}`);
    got.forEach((g, i) => {
        const want = lines[i][1];
        check(want === null ? g.result !== undefined : g.error?.code === want,
              `line ${i + 1} (${JSON.stringify(lines[i][0])}): wanted ${want}, got ${JSON.stringify(g)}`);
    });
    ok(`${lines.length} raw lines answered with their errors, exit 0 at the end of stdin`);
}

// A signal while a key is held (MCP_SIGNAL: TERM or INT): vncbot releases it and ends.
async function signal() {
    const client = await open(["mcp", "-c", env.MCP_ADDR]);
    const closed = new Promise((resolve) => { client.onclose = resolve; });
    const r = await call(client, "down", { key: "alt" });
    check(!r.isError, `down alt: ${JSON.stringify(r)}`);
    process.kill(lastTransport.pid, `SIG${env.MCP_SIGNAL}`);
    const t = await Promise.race([closed.then(() => "closed"),
                                  new Promise((res) => setTimeout(() => res("hung"), 15000).unref())]);
    check(t === "closed", "vncbot mcp ends within 15 s of the signal");
    ok(`held alt, SIG${env.MCP_SIGNAL}: the server ended`);
}

// The console goes away while a key is held (the test kills it when the client says so):
// the next call is a tool error that says the console is gone, and the server still answers.
async function drop() {
    const client = await open(["mcp", "-c", env.MCP_ADDR]);
    let r = await call(client, "down", { key: "shift" });
    check(!r.isError, `down shift: ${JSON.stringify(r)}`);
    fs.writeFileSync(env.MCP_READY, "held\n");
    for (let i = 0; i < 300 && !fs.existsSync(env.MCP_GONE); i++)
        await new Promise((res) => setTimeout(res, 50));
    check(fs.existsSync(env.MCP_GONE), "the test stopped the console");
    r = await call(client, "type", { text: "after the drop" });
    check(r.isError && /console|connect/i.test(r.content[0].text),
          `type after the console dropped: a tool error about the console, got ${JSON.stringify(r)}`);
    await client.ping();
    r = await call(client, "connect", {});
    check(r.isError, `connect to a console that is gone: a tool error, got ${JSON.stringify(r)}`);
    await client.close();
    ok(`the drop is reported: ${r.content[0].text.split("\n")[0]}`);
}

const scenarios = { session, read, connectLater, raw, signal, drop };
check(scenarios[process.argv[2]], `no scenario ${process.argv[2]}`);
await scenarios[process.argv[2]]();
