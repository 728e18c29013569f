/**
 * Vagrantfile (Ruby DSL), scanned rather than evaluated: `vm.define` blocks (the
 * VM name), `vm.network` (private/public networks, forwarded ports), `vm.provider`,
 * and `vm.provision` in option form or block form, with inline scripts given as
 * strings, heredocs (`<<-SHELL`, `<<~SHELL`) or heredoc variables (`$script`).
 * Every VM also gets its implicit first NIC, the management NAT (VirtualBox
 * 10.0.2.15 via 10.0.2.2; libvirt 192.168.121.0/24 via .1). Records are emitted
 * at the end, in line order.
 */
import type { VagrantNicRecord, VagrantProvisionerRecord } from '../../src/model/records/index.js';
import { clip, displayText } from '../../src/util/sanitize.js';
import type { LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';

const CONFIGURE = /^\s*Vagrant\.configure\s*\(?\s*["']?2["']?\s*\)?\s*do\s*\|\s*(\w+)\s*\|/;
const DEFINE = /^\s*(\w+)\.vm\.define\s*\(?\s*(?:"([^"]*)"|'([^']*)'|:(\w+))[^|]*?\bdo\s*\|\s*(\w+)\s*\|/;
const NETWORK = /^\s*(\w+)\.vm\.network\s*\(?\s*(?:"(\w+)"|'(\w+)'|:(\w+))\s*(.*)$/;
const PROVIDER = /^\s*(\w+)\.vm\.provider\s*\(?\s*(?:"(\w+)"|'(\w+)'|:(\w+))/;
const PROVISION = /^\s*(\w+)\.vm\.provision\s*\(?\s*(?:"([\w .-]+)"|'([\w .-]+)'|:(\w+))(.*)$/;
const BLOCK_VAR = /\bdo\s*\|\s*(\w+)\s*\|$/;
/** Longest line read as a declaration; longer ones are reported (bounds regex work on hostile input). */
const MAX_STATEMENT = 8192;
const HEREDOC_VAR = /^\s*(\$?\w+)\s*=\s*<<([-~]?)(["']?)(\w+)\3\s*$/;
const OPT =
  /(?::(\w+)\s*=>|\b(\w+):)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|<<[-~]?["']?\w+["']?|[^,\s)]+)/g;
const ARRAY_ITEM = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,\s\][]+/g;
const BLOCK_ASSIGN = /^\s*(\w+)\.(\w+)\s*=\s*(.*?)\s*$/;
const OPENS = /\bdo\s*(?:\|[^|]*\|)?\s*$|^\s*(?:if|unless|case|while|until|def|begin|class|module)\b/;
const ROUTE_FIX =
  /\bip\s+(?:-\d\s+)?r(?:o(?:u(?:te?)?)?)?\s+(?:replace|add|change|append)\s+default\b([^\n;&|]*)|\broute\s+add\s+default\b([^\n;&|]*)/;
const MAX_RECORDS = 10_000;
const CONST_ASSIGN = /^\s*([A-Za-z_]\w*)\s*=\s*("(?:[^"\\#]|\\.)*"|'[^']*')\s*$/;

/** Ruby string literal → text (double quotes keep `#{…}` interpolations as written). */
function rubyString(v: string): string {
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v.replace(/\\'/g, "'"));
    } catch {
      return v.slice(1, -1);
    }
  }
  if (v.startsWith("'")) return v.slice(1, -1).replace(/\\'/g, "'");
  return v.replace(/^:/, '');
}

/** Ruby option pairs (`key: v`, `:key => v`) of one statement; bare identifiers resolved through `consts`. */
function options(s: string, consts: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  OPT.lastIndex = 0;
  for (let m = OPT.exec(s); m; m = OPT.exec(s)) {
    const v = m[3];
    out[m[1] ?? m[2]] = v.startsWith('<<')
      ? v
      : v.startsWith('[')
        ? (v.match(ARRAY_ITEM) ?? []).map(rubyString).join(',') // bridge: ["en0: Wi-Fi", "eth0"]
        : (consts.get(v) ?? rubyString(v));
  }
  return out;
}

/** What a script does to the default route: the first `ip route replace|add default …` or `route add default …`. */
export function defaultRouteFix(script: string): { gateway?: string; dev?: string } | null {
  const m = ROUTE_FIX.exec(script);
  if (!m) return null;
  const rest = m[1] ?? m[2] ?? '';
  const r: { gateway?: string; dev?: string } = {};
  const gw = /\b(?:via|gw)\s+(\S+)/.exec(rest);
  if (gw) r.gateway = gw[1];
  const dev = /\bdev\s+(\S+)/.exec(rest);
  if (dev) r.dev = dev[1];
  else if (m[2] !== undefined) {
    const bare = /\bgw\s+\S+\s+(?!metric\b)([A-Za-z][\w.-]*)/.exec(rest); // route add default gw G eth1
    if (bare) r.dev = bare[1];
  }
  return r;
}

interface Scope {
  vm?: string;
  line: number;
  networks: number;
  provider?: string;
}

interface Prov {
  rec: VagrantProvisionerRecord;
  inline?: string;
}

function create(ctx: ParseContext): LineParser {
  const file = ctx.file;
  const nics: VagrantNicRecord[] = [];
  const provs: Prov[] = [];
  const vars = new Map<string, string>();
  /** Simple string assignments (`NODE_IP = "192.0.2.50"`), for options that name them. */
  const consts = new Map<string, string>();
  const top: Scope = { line: 1, networks: 0 };
  const vms: Scope[] = [];
  /** Open `do`/`if` blocks; a define or block-form provisioner remembers its depth. */
  let depth = 0;
  let scope: { s: Scope; depth: number; varName: string } | null = null;
  let block: { p: Prov; depth: number; varName: string } | null = null;
  let heredoc: {
    tag: string;
    squiggly: boolean;
    lines: string[];
    line: number;
    done: (text: string) => void;
  } | null = null;
  let lineNow = 0;
  let stmt: { text: string; line: number } | null = null;
  let dropped = false;

  const scopeOf = (varName: string): Scope => (scope && varName === scope.varName ? scope.s : top);

  const startHeredoc = (spec: string, done: (text: string) => void) => {
    const m = /^<<([-~]?)["']?(\w+)["']?$/.exec(spec);
    if (m) heredoc = { tag: m[2], squiggly: m[1] === '~', lines: [], line: lineNow, done };
  };
  const setInline = (p: Prov, v: string) => {
    if (v.startsWith('<<')) startHeredoc(v, (t) => finishScript(p, t));
    else if (vars.has(v)) finishScript(p, vars.get(v) as string);
    else finishScript(p, v);
  };
  const finishScript = (p: Prov, text: string) => {
    p.inline = text;
    p.rec.script = displayText(clip(text, 4000));
    const fix = defaultRouteFix(text);
    p.rec.fixesDefaultRoute = !!fix;
    if (fix?.gateway) p.rec.gateway = displayText(fix.gateway);
    if (fix?.dev) p.rec.dev = displayText(fix.dev);
  };

  const network = (m: RegExpExecArray, lineNo: number) => {
    const s = scopeOf(m[1]);
    const kind = m[2] ?? m[3] ?? m[4];
    const opts = options(m[5], consts);
    const isNic = kind !== 'forwarded_port';
    if (isNic) s.networks++;
    const adapter = isNic ? 1 + (s === top ? 0 : top.networks) + s.networks : 1;
    const r: VagrantNicRecord = { type: 'vagrant-nic', file, line: lineNo, kind, adapter, options: {} };
    if (s.vm) r.vm = s.vm;
    for (const [k, v] of Object.entries(opts)) {
      const dv = displayText(clip(v, 500));
      if (k === 'ip') r.ip = dv;
      else if (k === 'netmask') r.netmask = dv;
      else if (k === 'gateway') r.gateway = dv;
      else if (k === 'bridge') r.bridge = dv;
      else r.options[displayText(k)] = dv;
    }
    nics.push(r);
  };

  const provision = (m: RegExpExecArray, lineNo: number, blockVar?: string) => {
    const s = scopeOf(m[1]);
    const first = m[2] ?? m[3] ?? m[4];
    const opts = options(m[5], consts);
    const builtin =
      /^(?:shell|file|ansible|ansible_local|puppet|chef_solo|chef_zero|salt|docker|podman|cfengine)$/;
    const type = opts.type ?? (builtin.test(first) ? first : 'shell');
    const rec: VagrantProvisionerRecord = {
      type: 'vagrant-provisioner',
      file,
      line: lineNo,
      provisioner: displayText(type),
      run: displayText(opts.run ?? 'once'),
      fixesDefaultRoute: false,
    };
    if (s.vm) rec.vm = s.vm;
    if (first !== type) rec.name = displayText(first);
    if (opts.path) rec.path = displayText(opts.path);
    const p: Prov = { rec };
    provs.push(p);
    if (opts.inline !== undefined) setInline(p, opts.inline);
    if (blockVar) block = { p, depth, varName: blockVar };
  };

  /** One complete statement (continuation lines joined). */
  const statement = (text: string, lineNo: number, out: TextSink): LineStatus => {
    if (nics.length + provs.length >= MAX_RECORDS) {
      if (!dropped)
        out.issue(lineNo, 'too-many-records', `more than ${MAX_RECORDS} declarations; rest ignored`);
      dropped = true;
      return 'skipped';
    }
    let m = NETWORK.exec(text);
    if (m) {
      network(m, lineNo);
      return 'parsed';
    }
    const trimmed = text.trim();
    const bv = BLOCK_VAR.exec(trimmed);
    m = PROVISION.exec(bv ? trimmed.slice(0, bv.index) : trimmed);
    if (m) {
      provision(m, lineNo, bv?.[1]);
      return 'parsed';
    }
    if (/\.vm\.(?:network|provision)\b/.test(text)) {
      out.issue(
        lineNo,
        'vagrant-statement',
        `cannot read declaration: ${displayText(text.trim().slice(0, 200))}`,
      );
      return 'issue';
    }
    return 'skipped';
  };

  const line = (raw: string, lineNo: number, out: TextSink): LineStatus => {
    lineNow = lineNo;
    if (heredoc) {
      const h = heredoc as NonNullable<typeof heredoc>;
      if (raw.trim() === h.tag) {
        heredoc = null;
        let body = h.lines;
        if (h.squiggly) {
          const ind = Math.min(...body.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
          if (Number.isFinite(ind)) body = body.map((l) => l.slice(ind));
        }
        h.done(body.join('\n'));
      } else h.lines.push(raw);
      return 'parsed';
    }
    if (raw.length > MAX_STATEMENT) {
      stmt = null;
      if (!/\.vm\.(?:network|provision)\b/.test(raw)) return 'skipped';
      out.issue(lineNo, 'vagrant-statement', `declaration longer than ${MAX_STATEMENT} characters not read`);
      return 'issue';
    }
    if (stmt) {
      if (stmt.text.length > MAX_STATEMENT) {
        out.issue(
          stmt.line,
          'vagrant-statement',
          `declaration longer than ${MAX_STATEMENT} characters not read`,
        );
        stmt = null;
        return 'issue';
      }
      stmt.text += ` ${raw.trim()}`;
      if (/,\s*$/.test(raw)) return 'parsed';
      const s = stmt;
      stmt = null;
      const st = statement(s.text, s.line, out);
      if (st === 'parsed' && block && (block as NonNullable<typeof block>).depth === depth) depth++;
      return st === 'issue' ? 'issue' : 'parsed';
    }
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return 'skipped';
    let m = CONFIGURE.exec(raw);
    if (m) {
      top.line = lineNo;
      depth++;
      return 'parsed';
    }
    m = DEFINE.exec(raw);
    if (m) {
      const s: Scope = { vm: displayText(m[2] ?? m[3] ?? m[4]), line: lineNo, networks: 0 };
      vms.push(s);
      scope = { s, depth, varName: m[5] };
      depth++;
      return 'parsed';
    }
    m = HEREDOC_VAR.exec(raw);
    if (m) {
      const name = m[1];
      startHeredoc(`<<${m[2]}${m[4]}`, (text) => vars.set(name, text));
      return 'parsed';
    }
    m = CONST_ASSIGN.exec(raw);
    if (m && !/\.\w+\s*=/.test(raw)) {
      consts.set(m[1], rubyString(m[2]));
      return 'parsed';
    }
    m = PROVIDER.exec(raw);
    if (m) {
      const s = scopeOf(m[1]);
      s.provider ??= m[2] ?? m[3] ?? m[4];
      if (OPENS.test(raw)) depth++;
      return 'parsed';
    }
    if (block) {
      const b = block as NonNullable<typeof block>;
      const a = BLOCK_ASSIGN.exec(raw);
      if (a && a[1] === b.varName) {
        const v = a[3];
        if (a[2] === 'inline') setInline(b.p, v.startsWith('<<') ? v : vars.has(v) ? v : rubyString(v));
        else if (a[2] === 'run') b.p.rec.run = displayText(rubyString(v));
        else if (a[2] === 'path') b.p.rec.path = displayText(rubyString(v));
        else if (a[2] === 'name') b.p.rec.name = displayText(rubyString(v));
        return 'parsed';
      }
    }
    if (/\.vm\.(?:network|provision)\b/.test(raw)) {
      if (/,\s*$/.test(raw)) {
        stmt = { text: raw.trim(), line: lineNo };
        return 'parsed';
      }
      const st = statement(raw, lineNo, out);
      if (st === 'parsed' && block && (block as NonNullable<typeof block>).depth === depth) depth++;
      return st;
    }
    if (/^end\b/.test(t)) {
      depth--;
      if (block && (block as NonNullable<typeof block>).depth === depth) block = null;
      if (scope && (scope as NonNullable<typeof scope>).depth === depth) scope = null;
      return 'skipped';
    }
    if (OPENS.test(raw) && !/\bend\s*$/.test(t)) depth++;
    return 'skipped';
  };

  return {
    line,
    end(out) {
      const h = heredoc as { line: number; tag: string } | null;
      if (h) out.issue(h.line, 'unterminated-heredoc', `heredoc ${h.tag} not terminated before end of file`);
      // The implicit management NAT NIC of every VM (or of the single default VM).
      const targets = vms.length ? vms : [top];
      for (const s of targets) {
        const provider = s.provider ?? top.provider;
        const r: VagrantNicRecord = {
          type: 'vagrant-nic',
          file,
          line: s.line,
          kind: 'management-nat',
          adapter: 1,
          options: { implicit: 'true' },
        };
        if (s.vm) r.vm = s.vm;
        if (provider) r.provider = displayText(provider);
        if (provider === 'libvirt') {
          r.ip = '192.168.121.0/24';
          r.gateway = '192.168.121.1';
        } else if (!provider || provider === 'virtualbox') {
          r.ip = '10.0.2.15';
          r.gateway = '10.0.2.2';
          if (!provider) r.options.assumedProvider = 'virtualbox';
        }
        nics.push(r);
      }
      for (const n of nics) {
        if (n.kind === 'management-nat') continue;
        const s = vms.find((v) => v.vm === n.vm) ?? top;
        const provider = s.provider ?? top.provider;
        if (provider) n.provider = displayText(provider);
      }
      const all: Array<VagrantNicRecord | VagrantProvisionerRecord> = [...nics, ...provs.map((p) => p.rec)];
      all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.type === 'vagrant-nic' ? -1 : 1));
      for (const r of all) out.record(r);
      return undefined;
    },
  };
}

/** The `vagrantfile` text format. */
export const vagrantfile: TextFormat = {
  id: 'vagrantfile',
  title: 'Vagrantfile network and provisioner declarations',
  sniff(lines, name) {
    let score = 0;
    for (const l of lines.slice(0, 200)) {
      if (CONFIGURE.test(l)) return 0.95;
      if (/^\s*\w+\.vm\.(?:network|provision|box|define)\b/.test(l)) score = 0.8;
    }
    return score && name === 'Vagrantfile' ? 0.95 : score;
  },
  create,
  samples: [
    {
      note: 'single VM: public network on a bridge, provisioner fixing the default route on every boot',
      input: [
        'Vagrant.configure("2") do |config|',
        '  config.vm.box = "ubuntu/jammy64"',
        '  config.vm.network "public_network", bridge: "enp3s0", ip: "192.0.2.50"',
        '  config.vm.network "forwarded_port", guest: 443, host: 8443',
        '  config.vm.provision "shell", run: "always", inline: <<-SHELL',
        '    ip route replace default via 192.0.2.1 dev eth1',
        '  SHELL',
        'end',
      ].join('\n'),
      records: [
        {
          type: 'vagrant-nic',
          line: 1,
          kind: 'management-nat',
          adapter: 1,
          ip: '10.0.2.15',
          gateway: '10.0.2.2',
        },
        {
          type: 'vagrant-nic',
          line: 3,
          kind: 'public_network',
          adapter: 2,
          bridge: 'enp3s0',
          ip: '192.0.2.50',
        },
        {
          type: 'vagrant-nic',
          line: 4,
          kind: 'forwarded_port',
          adapter: 1,
          options: { guest: '443', host: '8443' },
        },
        {
          type: 'vagrant-provisioner',
          line: 5,
          provisioner: 'shell',
          run: 'always',
          fixesDefaultRoute: true,
          gateway: '192.0.2.1',
          dev: 'eth1',
        },
      ],
    },
    {
      note: 'define blocks, libvirt provider, private network, named block-form provisioner running once',
      input: [
        'Vagrant.configure(2) do |config|',
        '  config.vm.provider :libvirt do |lv|',
        '    lv.memory = 2048',
        '  end',
        '  config.vm.define "node1" do |node|',
        '    node.vm.hostname = "node1"',
        '    node.vm.network :private_network, :ip => "198.51.100.11", :libvirt__network_name => "lab"',
        '    node.vm.provision "k3s", type: "shell" do |s|',
        '      s.inline = "curl -sfL https://get.k3s.io | sh -"',
        '    end',
        '  end',
        '  config.vm.define "node2" do |node|',
        '    node.vm.network "private_network", ip: "198.51.100.12"',
        '  end',
        'end',
      ].join('\n'),
      records: [
        {
          type: 'vagrant-nic',
          line: 5,
          vm: 'node1',
          kind: 'management-nat',
          provider: 'libvirt',
          gateway: '192.168.121.1',
        },
        {
          type: 'vagrant-nic',
          line: 7,
          vm: 'node1',
          kind: 'private_network',
          adapter: 2,
          ip: '198.51.100.11',
          provider: 'libvirt',
          options: { libvirt__network_name: 'lab' },
        },
        {
          type: 'vagrant-provisioner',
          line: 8,
          vm: 'node1',
          name: 'k3s',
          provisioner: 'shell',
          run: 'once',
          fixesDefaultRoute: false,
        },
        { type: 'vagrant-nic', line: 12, vm: 'node2', kind: 'management-nat' },
        {
          type: 'vagrant-nic',
          line: 13,
          vm: 'node2',
          kind: 'private_network',
          adapter: 2,
          ip: '198.51.100.12',
        },
      ],
    },
    {
      note: 'heredoc variable, multi-line options, route add default gw',
      input: [
        '$fix = <<~SCRIPT',
        '  ip route del default via 10.0.2.2 || true',
        '  route add default gw 192.0.2.1 eth1',
        'SCRIPT',
        'Vagrant.configure("2") do |config|',
        '  config.vm.provision "shell",',
        '    run: "always",',
        '    inline: $fix',
        'end',
      ].join('\n'),
      records: [
        { type: 'vagrant-nic', kind: 'management-nat', line: 5 },
        {
          type: 'vagrant-provisioner',
          line: 6,
          run: 'always',
          fixesDefaultRoute: true,
          gateway: '192.0.2.1',
          dev: 'eth1',
        },
      ],
    },
    {
      note: 'negative: an unreadable network declaration is an issue',
      input: ['Vagrant.configure("2") do |config|', '  config.vm.network private_net', 'end'].join('\n'),
      issues: 1,
      records: [{ type: 'vagrant-nic', kind: 'management-nat' }],
    },
  ],
};
