# UltraCloud Deployer: the ONE canonical cluster-intent schema (DESIGN §4).
#
# Builtins only (no nixpkgs), so `nix-instantiate --eval --strict --json` can evaluate it offline.
#
#   schema = import ./cluster-schema.nix;
#   out    = schema { cluster = ...; networks = ...; ... };
#   out.clusterState     # JSON for PUT /api/v1/cluster/intent (camelCase, schemaVersion)
#   out.installPlans     # install-plan data per install profile
#   out.testTopology     # test-cluster topology: networks, nodes, addresses
#   out.nodeModuleArgs   # per-node NixOS module arguments, keyed by hostname
#
# Every validation failure throws "<path>: <message>", e.g.
#   error: nodeClasses.worker.installProfile: unknown profile "wrker" (known: control-plane, storage)
# Attribute sets are exported as lists sorted by name; authored lists (enrollmentRules,
# kernelParams, dns, ...) keep their order. Absent optional values are exported as null.
let
  b = builtins;

  schemaVersion = 1;

  # ---------------------------------------------------------------- generic helpers
  fail = path: msg: throw "${path}: ${msg}";
  q = s: "\"${toString s}\"";
  show = v:
    if b.isString v then q v
    else if b.isInt v || b.isFloat v then toString v
    else if b.isBool v then (if v then "true" else "false")
    else if v == null then "null"
    else b.typeOf v;
  join = l: b.concatStringsSep ", " l;
  imap0 = f: l: b.genList (i: f i (b.elemAt l i)) (b.length l);
  mapToList = f: s: map (n: f n s.${n}) (b.attrNames s);
  allTrue = l: b.foldl' (acc: x: b.seq x acc) true l;
  trim = s: let m = b.match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" s; in if m == null then "" else b.head m;
  lower = b.replaceStrings
    [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ]
    [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  pow2 = n: b.foldl' (a: _: a * 2) 1 (b.genList (x: x) n);
  GiB = 1073741824;

  # Throws on the first value (in list order) already seen; entries are { path, value }.
  checkUnique = what: entries:
    (b.foldl'
      (seen: e:
        if seen ? ${e.value}
        then fail e.path "duplicate ${what} ${q e.value} (already used by ${seen.${e.value}})"
        else seen // { ${e.value} = e.path; })
      { }
      entries) != null;

  # ---------------------------------------------------------------- value checkers: path -> value -> value
  str = path: v: if b.isString v then v else fail path "expected a string, got ${show v}";
  nonEmptyStr = path: v: if b.isString v && v != "" then v else fail path "expected a non-empty string, got ${show v}";
  int = path: v: if b.isInt v then v else fail path "expected an integer, got ${show v}";
  posInt = path: v: if b.isInt v && v > 0 then v else fail path "expected a positive integer, got ${show v}";
  natInt = path: v: if b.isInt v && v >= 0 then v else fail path "expected a non-negative integer, got ${show v}";
  bool = path: v: if b.isBool v then v else fail path "expected true or false, got ${show v}";
  intRange = lo: hi: path: v:
    if b.isInt v && v >= lo && v <= hi then v else fail path "expected an integer in ${toString lo}..${toString hi}, got ${show v}";
  enum = values: path: v:
    if b.elem v values then v else fail path "expected one of ${join (map q values)}, got ${show v}";
  listOf = f: path: v:
    if b.isList v then imap0 (i: x: f "${path}[${toString i}]" x) v
    else fail path "expected a list, got ${show v}";
  # a single string is accepted where a list of strings is expected
  strOrListOf = f: path: v: if b.isString v then [ (f path v) ] else listOf f path v;
  attrsOf = f: path: v:
    if b.isAttrs v then b.mapAttrs (n: x: f "${path}.${n}" x) v
    else fail path "expected an attribute set, got ${show v}";

  # an attribute set with only the allowed attributes; `k` builds the result from it
  object = path: allowed: v: k:
    if !b.isAttrs v then fail path "expected an attribute set, got ${show v}"
    else
      let extra = b.filter (n: !b.elem n allowed) (b.attrNames v);
      in if extra != [ ] then fail "${path}.${b.head extra}" "unknown attribute (allowed: ${join allowed})"
      else k v;
  req = path: v: name: f:
    if v ? ${name} && v.${name} != null then f "${path}.${name}" v.${name} else fail "${path}.${name}" "is required";
  opt = path: v: name: default: f:
    if v ? ${name} && v.${name} != null then f "${path}.${name}" v.${name} else default;

  nameRe = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  checkName = path: n:
    if b.match nameRe n != null then n
    else fail path "invalid name ${q n} (lowercase letters, digits and '-', at most 63 characters)";
  # named collections: attrs -> list sorted by name, each element built by f path name value
  named = path: f: v:
    if !b.isAttrs v then fail path "expected an attribute set of named entries, got ${show v}"
    else mapToList (n: x: f "${path}.${n}" (checkName "${path}.${n}" n) x) v;

  labelKeyRe = "([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?";
  labels = path: v:
    if !b.isAttrs v then fail path "expected an attribute set of string labels, got ${show v}"
    else b.mapAttrs
      (k: x:
        if b.match labelKeyRe k == null then fail "${path}.${k}" "invalid label key"
        else if !b.isString x then fail "${path}.${k}" "label values must be strings, got ${show x}"
        else x)
      v;

  dnsLabelRe = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  hostname = path: v:
    if b.isString v && b.match dnsLabelRe v != null then v
    else fail path "invalid hostname ${show v} (one DNS label: lowercase letters, digits and '-', at most 63 characters)";
  domain = path: v:
    if b.isString v && b.match "${dnsLabelRe}(\\.${dnsLabelRe})*" v != null then v
    else fail path "invalid domain ${show v}";
  url = path: v:
    if b.isString v && b.match "https?://[^[:space:]/]+(/[^[:space:]]*)?" v != null then v
    else fail path "expected an http(s) URL, got ${show v}";
  flakeRef = path: v:
    if b.isString v && b.match "([a-z][a-z0-9+]*:[^[:space:]]+|[./][^[:space:]]*)" v != null then v
    else fail path "expected a flake reference (e.g. \"git+https://...\", \"github:org/repo\", \".\"), got ${show v}";

  # OpenSSH public keys (authorized_keys lines); only the key type is echoed back in errors, so a
  # private key pasted by mistake never ends up in a log
  sshKeyTypes = [ "ssh-ed25519" "ssh-rsa" "ecdsa-sha2-nistp256" "ecdsa-sha2-nistp384" "ecdsa-sha2-nistp521"
    "sk-ssh-ed25519@openssh.com" "sk-ecdsa-sha2-nistp256@openssh.com" ];
  sshPublicKey = path: v:
    let
      m = if b.isString v then b.match "([^ ]+) (AAAA[A-Za-z0-9+/]+={0,3})( [^[:cntrl:]]*)?" v else null;
      firstWord = s: let w = b.head (b.split " " s); in if b.stringLength w > 24 then "${b.substring 0 24 w}..." else w;
    in
    if m != null && b.elem (b.head m) sshKeyTypes then v
    else fail path ("expected an OpenSSH public key line (\"ssh-ed25519 AAAA... comment\"; types: ${join sshKeyTypes}), got "
      + (if b.isString v then "a value starting with ${q (firstWord v)}" else show v));

  # hostname patterns of rules: {index} or {index:0N} (zero-padded to N digits), nothing else
  indexPlaceholderRe = "\\{index(:0([1-9]))?}";
  padLeft = width: s: if b.stringLength s >= width then s else padLeft width "0${s}";
  renderHostname = pattern: index: b.concatStringsSep "" (map
    (part: if b.isList part then (if b.elemAt part 1 == null then toString index else padLeft (b.fromJSON (b.elemAt part 1)) (toString index)) else part)
    (b.split indexPlaceholderRe pattern));
  hasIndex = pattern: b.length (b.split indexPlaceholderRe pattern) > 1;
  checkHostnamePattern = firstIndex: maxCount: path: v:
    let
      s = str path v;
      bad = b.filter (p: b.match indexPlaceholderRe p == null) (placeholders s);
      rendered = renderHostname s firstIndex;
    in
    if bad != [ ] then fail path "unknown placeholder ${b.head bad} in ${q s} (allowed: {index}, or {index:0N} for the index zero-padded to N digits, e.g. {index:02})"
    else if b.match ".*[{}].*" rendered != null then fail path "unbalanced brace in ${q s}"
    else if !hasIndex s && maxCount != 1
    then fail path "hostname pattern ${q s} has no {index} placeholder, so every machine would get the same name (set maxCount = 1 for a single machine)"
    else b.seq (hostname path rendered) s;

  # patterns: "{name}" placeholders from an allowed list, substituted to check the rendered form
  placeholders = s: b.concatLists (b.filter b.isList (b.split "(\\{[^}]*})" s));
  pattern = allowed: sample: check: path: v:
    let
      s = str path v;
      bad = b.filter (p: !b.elem p allowed) (placeholders s);
      rendered = b.replaceStrings allowed (map (_: sample) allowed) s;
    in
    if bad != [ ] then fail path "unknown placeholder ${b.head bad} in ${q s} (allowed: ${join allowed})"
    else if b.match ".*[{}].*" rendered != null then fail path "unbalanced brace in ${q s}"
    else b.seq (check path rendered) s;
  attrPathRe = "[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*";
  attribute = pattern [ "{hostname}" ] "host" (path: r:
    if b.match attrPathRe r != null then r else fail path "invalid attribute path ${q r}");
  # nixos-install --flake <flake>#<name> installs nixosConfigurations."<name>" (it adds the prefix itself),
  # so an install profile can only name a system of that shape
  installAttribute = path: v:
    let s = attribute path v; in
    if b.match "nixosConfigurations\\.[^.]+" (b.replaceStrings [ "{hostname}" ] [ "host" ] s) != null then s
    else fail path "nixos-install can only install nixosConfigurations.<name>, got ${q s} (e.g. \"nixosConfigurations.{hostname}\")";

  # ---------------------------------------------------------------- IPv4
  octetRe = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  ipRe = "${octetRe}\\.${octetRe}\\.${octetRe}\\.${octetRe}";
  parseIp = path: s:
    let m = if b.isString s then b.match ipRe s else null;
    in if m == null then fail path "expected an IPv4 address, got ${show s}"
    else b.foldl' (acc: o: acc * 256 + b.fromJSON o) 0 m;
  ipToString = n:
    let o = i: toString (b.bitAnd (n / (pow2 (8 * i))) 255);
    in "${o 3}.${o 2}.${o 1}.${o 0}";
  parseCidr = path: s:
    let m = if b.isString s then b.match "(${ipRe})/([0-9]|[12][0-9]|3[0-2])" s else null;
    in if m == null then fail path "expected an IPv4 CIDR like \"10.42.0.0/24\", got ${show s}"
    else
      let
        ip = parseIp path (b.elemAt m 0);
        prefixLength = b.fromJSON (b.elemAt m 5);
        size = pow2 (32 - prefixLength);
        base = ip - (ip - (ip / size) * size);
      in
      if base != ip then fail path "host bits set in ${q s} (did you mean ${q "${ipToString base}/${toString prefixLength}"}?)"
      else { inherit base size prefixLength; };
  inCidr = net: ip: ip >= net.base && ip < net.base + net.size;

  # ---------------------------------------------------------------- identity (mirrors MachineFingerprint.java)
  placeholderUuids = [
    "00000000-0000-0000-0000-000000000000"
    "ffffffff-ffff-ffff-ffff-ffffffffffff"
    "03000200-0400-0500-0006-000700080009"
    "12345678-1234-5678-90ab-cddeefaabbcc"
  ];
  smbiosUuid = path: v:
    let u = lower (str path v);
    in if b.match "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" u == null
    then fail path "invalid SMBIOS UUID ${q v}"
    else if b.elem u placeholderUuids
    then fail path "${q v} is a firmware placeholder UUID shared by many boards; match this machine by mac instead"
    else u;
  mac = path: v:
    let m = b.replaceStrings [ "-" ] [ ":" ] (lower (str path v));
    in if b.match "[0-9a-f]{2}(:[0-9a-f]{2}){5}" m == null then fail path "invalid MAC address ${q v}"
    else if m == "00:00:00:00:00:00" || b.match ".[13579bdf].*" m != null
    then fail path "${q v} is not a unicast hardware address"
    else m;
  hexDigits = [ "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" "a" "b" "c" "d" "e" "f" ];
  hexValue = d: b.length (b.filter (x: x) (map (x: x < d) hexDigits));
  # java.util.UUID.nameUUIDFromBytes (MD5, version 3)
  nameUuid = s:
    let
      h = b.hashString "md5" s;
      c = i: n: b.substring i n h;
      variant = b.elemAt hexDigits (b.bitOr (b.bitAnd (hexValue (c 16 1)) 3) 8);
    in "${c 0 8}-${c 8 4}-3${c 13 3}-${variant}${c 17 3}-${c 20 12}";

  # ---------------------------------------------------------------- matchers and root-device hints (Ironic semantics)
  stringOps = [ "s==" "s!=" "<in>" "<or>" ];
  numericOps = [ "==" "!=" ">=" "<=" ">" "<" ];
  splitOp = s:
    let m = b.match "[[:space:]]*(<[a-z-]+>|s?[=!<>]+)[[:space:]]*(.*)" s;
    in if m == null then { op = null; rest = s; } else { op = b.elemAt m 0; rest = b.elemAt m 1; };

  # "value" (same as "s== value"), "s!= value", "<in> substring", "<or> a <or> b"
  stringMatcher = path: v:
    if !b.isString v then fail path "expected a string, optionally prefixed by an operator (${join stringOps}), got ${show v}"
    else
      let s = splitOp v; op = if s.op == null then "s==" else s.op;
      in
      if !b.elem op stringOps then fail path "operator ${q op} is not allowed on a string (allowed: ${join stringOps})"
      else if op == "<or>" then
        let parts = b.filter (x: x != "") (map trim (b.filter b.isString (b.split "<or>" s.rest)));
        in if parts == [ ] then fail path "<or> needs at least one value" else { operator = op; values = parts; }
      else
        let val = trim s.rest;
        in if val == "" then fail path "operator ${op} needs a value" else { operator = op; values = [ val ]; };

  # size in GiB: 400 (same as "== 400"), ">= 400", ...
  sizeHint = path: v:
    let
      parsed =
        if b.isInt v then { op = "=="; num = toString v; }
        else if b.isString v then let s = splitOp v; in { op = if s.op == null then "==" else s.op; num = trim s.rest; }
        else fail path "expected a size in GiB (integer, or a string like \">= 400\"), got ${show v}";
      n = b.fromJSON parsed.num;
    in
    # Ironic (oslo specs_matcher) reads the legacy "= 800" as ">= 800"; the same text must not mean
    # two things, so it is refused with both readings spelt out
    if parsed.op == "=" then fail path "operator \"=\" is not allowed on size: Ironic reads \"= ${parsed.num}\" as \">= ${parsed.num}\"; write \">= ${parsed.num}\" for at least ${parsed.num} GiB or \"== ${parsed.num}\" (or ${parsed.num}) for exactly ${parsed.num} GiB"
    else if !b.elem parsed.op numericOps then fail path "operator ${q parsed.op} is not allowed on size (allowed: ${join numericOps})"
    else if b.match "-?(0|[1-9][0-9]*)" parsed.num == null then fail path "size must be a whole number of GiB, got ${q parsed.num}"
    else if n <= 0 then fail path "size must be a positive number of GiB, got ${parsed.num}"
    else { operator = parsed.op; values = [ n ]; };

  # Ironic hint name -> exported (camelCase) name and parser
  hintTypes = {
    name = { export = "name"; parse = stringMatcher; };
    size = { export = "size"; parse = sizeHint; };
    model = { export = "model"; parse = stringMatcher; };
    vendor = { export = "vendor"; parse = stringMatcher; };
    serial = { export = "serial"; parse = stringMatcher; };
    wwn = { export = "wwn"; parse = stringMatcher; };
    wwn_with_extension = { export = "wwnWithExtension"; parse = stringMatcher; };
    wwn_vendor_extension = { export = "wwnVendorExtension"; parse = stringMatcher; };
    hctl = { export = "hctl"; parse = stringMatcher; };
    by_path = { export = "byPath"; parse = stringMatcher; };
    rotational = {
      export = "rotational";
      parse = path: v: { operator = "=="; values = [ (bool path v) ]; };
    };
  };
  rootDeviceHints = path: v:
    if !b.isAttrs v then fail path "expected an attribute set of Ironic root device hints, got ${show v}"
    else if v == { } then fail path "at least one hint is required (the deployer never guesses the root disk)"
    else mapToList
      (n: x:
        if !(hintTypes ? ${n}) then fail "${path}.${n}" "unknown root device hint (known: ${join (b.attrNames hintTypes)})"
        else { hint = hintTypes.${n}.export; } // hintTypes.${n}.parse "${path}.${n}" x)
      v;

  # an enrollment rule's disk selector: at least minCount non-removable disks with every given trait
  # (a trait left out matches any disk, so { minCount = 4; rotational = true; } counts HDDs of any model)
  diskSelector = p: d: object p [ "minCount" "minSizeGiB" "rotational" "model" ] d (d: {
    minCount = opt p d "minCount" 1 posInt;
    minSizeBytes = opt p d "minSizeGiB" null (pp: x: posInt pp x * GiB);
    rotational = opt p d "rotational" null bool;
    model = opt p d "model" null stringMatcher;
  });

  # Disk layouts the installer knows (nix/disko); extend this list together with a new layout.
  knownLayouts = [ "single-ext4" "single-btrfs" "storage-array" ];
  # root-disk: only the resolved root disk is wiped; all-non-removable: every non-removable disk.
  wipePolicies = [ "root-disk" "all-non-removable" ];

in
def:
let
  top = object "cluster definition"
    [ "cluster" "networks" "installProfiles" "diskPolicies" "nodeClasses" "pools" "enrollmentRules" "nodes" "hostDeployments" "servicePolicies" ]
    def (x: x);
  section = name: default: if top ? ${name} && top.${name} != null then top.${name} else default;
  sectionReq = name: if top ? ${name} then top.${name} else fail name "is required";

  # ---------------------------------------------------------------- cluster
  cluster = object "cluster" [ "name" "domain" "deployerUrl" "operatorSshKeys" ] (sectionReq "cluster") (c: {
    name = req "cluster" c "name" checkName;
    domain = req "cluster" c "domain" domain;
    deployerUrl = req "cluster" c "deployerUrl" url;
    # operators' keys: authorized for root on every installed node and in rescue
    operatorSshKeys = opt "cluster" c "operatorSshKeys" [ ] (listOf sshPublicKey);
  });

  # ---------------------------------------------------------------- networks
  networks = named "networks"
    (path: name: v: object path [ "cidr" "gateway" "dns" "vlan" "mtu" "domain" ] v (n:
      let
        net = req path n "cidr" parseCidr;
        gw = opt path n "gateway" null (p: g:
          let ip = parseIp p g; in
          if !inCidr net ip then fail p "gateway ${g} is outside ${n.cidr}" else g);
      in
      {
        inherit name;
        cidr = b.seq net n.cidr;
        prefixLength = net.prefixLength;
        gateway = gw;
        dns = opt path n "dns" [ ] (listOf (p: a: b.seq (parseIp p a) a));
        vlan = opt path n "vlan" null (intRange 1 4094);
        # null: the NIC's default (1500 on Ethernet); 576 is the least every IPv4 host accepts, 9216
        # the largest jumbo frame switches commonly carry
        mtu = opt path n "mtu" null (intRange 576 9216);
        # the DNS domain of hosts on this network; null: the cluster's domain
        domain = opt path n "domain" null domain;
        _net = net;
      }))
    (sectionReq "networks");
  networkByName = b.listToAttrs (map (n: { name = n.name; value = n; }) networks);
  networkNames = map (n: n.name) networks;

  ref = what: known: path: v:
    let s = str path v; in
    if b.elem s known then s
    else fail path "unknown ${what} ${q s} (known: ${if known == [ ] then "none" else join known})";

  # ---------------------------------------------------------------- disk policies
  diskPolicies = named "diskPolicies"
    (path: name: v: object path [ "rootDeviceHints" "layout" "wipe" ] v (d: {
      inherit name;
      rootDeviceHints = req path d "rootDeviceHints" rootDeviceHints;
      layout = req path d "layout" (p: l:
        if b.elem l knownLayouts then l else fail p "unknown layout ${show l} (known: ${join knownLayouts})");
      wipe = opt path d "wipe" "root-disk" (enum wipePolicies);
    }))
    (sectionReq "diskPolicies");
  diskPolicyNames = map (d: d.name) diskPolicies;
  diskPolicyByName = b.listToAttrs (map (d: { name = d.name; value = d; }) diskPolicies);

  # ---------------------------------------------------------------- install profiles
  installProfiles = named "installProfiles"
    (path: name: v: object path [ "flake" "attribute" "diskPolicy" "network" "kernelParams" ] v (p: {
      inherit name;
      system = {
        flake = req path p "flake" flakeRef;
        attribute = req path p "attribute" installAttribute;
      };
      diskPolicy = req path p "diskPolicy" (ref "disk policy" diskPolicyNames);
      network = req path p "network" (ref "network" networkNames);
      kernelParams = opt path p "kernelParams" [ ] (listOf (pp: k:
        if b.isString k && b.match "[^[:space:]]+" k != null then k
        else fail pp "kernel parameters must be non-empty strings without whitespace, got ${show k}"));
    }))
    (sectionReq "installProfiles");
  profileNames = map (p: p.name) installProfiles;
  profileByName = b.listToAttrs (map (p: { name = p.name; value = p; }) installProfiles);

  # ---------------------------------------------------------------- node classes
  nodeClasses = named "nodeClasses"
    (path: name: v: object path [ "installProfile" "minimum" "labels" "description" ] v (c: {
      inherit name;
      installProfile = req path c "installProfile" (ref "profile" profileNames);
      # field names and semantics of HardwareRequirements.java (null = not checked)
      requirements = opt path c "minimum"
        { minCpuThreads = null; minCpuCores = null; minMemoryBytes = null; minDisks = null; minDiskBytes = null; minNics = null; minNicSpeedMbps = null; }
        (mp: m: object mp [ "cpuThreads" "cpuCores" "memoryGiB" "disks" "diskSizeGiB" "nics" "nicSpeedMbps" ] m (m: {
          minCpuThreads = opt mp m "cpuThreads" null posInt;
          minCpuCores = opt mp m "cpuCores" null posInt;
          minMemoryBytes = opt mp m "memoryGiB" null (p: x: posInt p x * GiB);
          minDisks = opt mp m "disks" null posInt;
          minDiskBytes = opt mp m "diskSizeGiB" null (p: x: posInt p x * GiB);
          minNics = opt mp m "nics" null posInt;
          # the fastest NIC's reported link speed (as diskSizeGiB is the largest disk)
          minNicSpeedMbps = opt mp m "nicSpeedMbps" null posInt;
        }));
      labels = opt path c "labels" { } labels;
      description = opt path c "description" null str;
    }))
    (sectionReq "nodeClasses");
  classNames = map (c: c.name) nodeClasses;
  classByName = b.listToAttrs (map (c: { name = c.name; value = c; }) nodeClasses);

  # ---------------------------------------------------------------- pools
  pools = named "pools"
    (path: name: v: object path [ "failureDomain" "labels" "description" ] v (p: {
      inherit name;
      failureDomain = opt path p "failureDomain" null nonEmptyStr;
      labels = opt path p "labels" { } labels;
      description = opt path p "description" null str;
    }))
    (section "pools" { });
  poolNames = map (p: p.name) pools;
  poolByName = b.listToAttrs (map (p: { name = p.name; value = p; }) pools);

  # ---------------------------------------------------------------- enrollment rules (ordered: first match wins)
  rulesRaw = section "enrollmentRules" [ ];
  enrollmentRules =
    if !b.isList rulesRaw then fail "enrollmentRules" "expected an ordered list of rules, got ${show rulesRaw}"
    else imap0
      (i: r:
        let
          ipath = "enrollmentRules[${toString i}]";
          rname = if b.isAttrs r && r ? name then checkName "${ipath}.name" (str "${ipath}.name" r.name) else fail "${ipath}.name" "is required";
          path = "enrollmentRules.${rname}";
        in
        object ipath [ "name" "description" "match" "assign" "maxCount" "autoInspect" "autoCommission" "autoInstall" ] r (r:
          let
            match = opt path r "match" { } (mp: m: object mp [ "machineIds" "macs" "dmi" "disks" "nics" "minCpuThreads" "minMemoryGiB" ] m (x: x));
            mpath = "${path}.match";
            maxCount = opt path r "maxCount" null posInt;
            assign = req path r "assign" (ap: a: object ap [ "nodeClass" "pool" "labels" "hostname" "firstIndex" ] a (x: x));
            apath = "${path}.assign";
            nodeClass = req apath assign "nodeClass" (p: c: if c == null then fail p "is required" else ref "node class" classNames p c);
            firstIndex = opt apath assign "firstIndex" 1 natInt;
            hostnamePattern = opt apath assign "hostname" "${nodeClass}-{index}" (checkHostnamePattern firstIndex maxCount);
            autoCommission = opt path r "autoCommission" false bool;
            autoInstall = opt path r "autoInstall" false bool;
            matchOut = {
              machineIds = opt mpath match "machineIds" null (strOrListOf (p: u:
                if b.isString u && b.match "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" u != null
                then lower u else fail p "invalid machine id ${show u}"));
              macs = opt mpath match "macs" null (strOrListOf mac);
              dmi = opt mpath match "dmi" null (p: d: object p [ "vendor" "product" "serial" ] d (d: {
                vendor = opt p d "vendor" null stringMatcher;
                product = opt p d "product" null stringMatcher;
                serial = opt p d "serial" null stringMatcher;
              }));
              # one selector or a list of them, each counted on its own over all non-removable disks
              disks = opt mpath match "disks" null (p: d:
                if b.isList d && d == [ ] then fail p "give at least one disk selector (or leave disks out)"
                else if b.isList d then listOf diskSelector p d
                else [ (diskSelector p d) ]);
              nics = opt mpath match "nics" null (p: n: object p [ "minCount" "minSpeedMbps" "driver" ] n (n: {
                minCount = opt p n "minCount" 1 posInt;
                minSpeedMbps = opt p n "minSpeedMbps" null posInt;
                driver = opt p n "driver" null stringMatcher;
              }));
              minCpuThreads = opt mpath match "minCpuThreads" null posInt;
              minMemoryBytes = opt mpath match "minMemoryGiB" null (p: x: posInt p x * GiB);
            };
            catchAll = b.all (v: v == null) (b.attrValues matchOut);
          in
          {
            name = rname;
            description = opt path r "description" null str;
            match = matchOut;
            assign = {
              inherit nodeClass hostnamePattern firstIndex;
              pool = opt apath assign "pool" null (ref "pool" poolNames);
              labels = opt apath assign "labels" { } labels;
            };
            inherit maxCount autoCommission;
            autoInspect = opt path r "autoInspect" true bool;
            autoInstall =
              if autoInstall && !autoCommission then fail "${path}.autoInstall" "autoInstall requires autoCommission = true"
              else if autoInstall && catchAll then fail "${path}.autoInstall" "a rule that matches every machine (empty match) must not install automatically"
              else autoInstall;
          }))
      rulesRaw;

  # hostnames that rules with a maxCount hand out: worker-1 .. worker-N (from firstIndex, rendered)
  ruleSlots = b.concatLists (map
    (r:
      if r.maxCount == null then [ ]
      else b.genList
        (i: rec {
          rule = r.name;
          index = r.assign.firstIndex + i;
          hostname = renderHostname r.assign.hostnamePattern index;
          path = "enrollmentRules.${r.name}.assign.hostname (index ${toString index})";
          inherit (r.assign) nodeClass pool labels;
        })
        r.maxCount)
    enrollmentRules);

  # ---------------------------------------------------------------- nodes (fixed identities)
  nodes = named "nodes"
    (path: name: v: object path [ "nodeId" "hostname" "match" "nodeClass" "pool" "addresses" "labels" "description" "rootDeviceHints" "autoInstall" ] v (n:
      let
        m = req path n "match" (mp: m: object mp [ "smbiosUuid" "mac" ] m (m:
          if (m ? smbiosUuid) == (m ? mac) then fail mp "give exactly one of smbiosUuid or mac"
          else {
            smbiosUuid = opt mp m "smbiosUuid" null smbiosUuid;
            mac = opt mp m "mac" null mac;
          }));
        fingerprint = if m.smbiosUuid != null then "smbios:${m.smbiosUuid}" else "mac:${m.mac}";
      in
      {
        nodeId = opt path n "nodeId" name checkName;
        hostname = opt path n "hostname" name hostname;
        match = m;
        inherit fingerprint;
        machineId = nameUuid fingerprint;
        nodeClass = req path n "nodeClass" (ref "node class" classNames);
        pool = opt path n "pool" null (ref "pool" poolNames);
        labels = opt path n "labels" { } labels;
        description = opt path n "description" null str;
        # this machine's root disk, in place of its class's disk policy hints (layout and wipe stay)
        rootDeviceHints = opt path n "rootDeviceHints" null rootDeviceHints;
        # request the install as soon as the node is commissioned (nodes are always inspected and commissioned)
        autoInstall = opt path n "autoInstall" false bool;
        addresses = opt path n "addresses" [ ] (ap: as:
          if !b.isAttrs as then fail ap "expected an attribute set of network name -> address, got ${show as}"
          else mapToList
            (net: a:
              let
                p = "${ap}.${net}";
                nw = if networkByName ? ${net} then networkByName.${net} else fail p "unknown network ${q net} (known: ${join networkNames})";
                spec = if b.isString a then { address = a; } else object p [ "address" "mac" "interface" ] a (x: x);
                addr = req p spec "address" str;
                ip = parseIp "${p}${if b.isString a then "" else ".address"}" addr;
                netIp = nw._net.base;
                bcast = nw._net.base + nw._net.size - 1;
              in
              if !inCidr nw._net ip then fail p "address ${addr} is outside network ${net} (${nw.cidr})"
              else if nw.prefixLength < 31 && (ip == netIp || ip == bcast) then fail p "address ${addr} is the network or broadcast address of ${nw.cidr}"
              else if nw.gateway != null && addr == nw.gateway then fail p "address ${addr} is the gateway of network ${net}"
              else {
                network = net;
                address = addr;
                inherit (nw) prefixLength;
                mac = opt p spec "mac" null mac;
                interface = opt p spec "interface" null nonEmptyStr;
              })
            as);
        _path = path;
      }))
    (section "nodes" { });

  # ---------------------------------------------------------------- host deployments
  hostDeployments = named "hostDeployments"
    (path: name: v: object path [ "selector" "system" "batchSize" "maxUnavailable" "drainPolicy" "healthCheck" "activationTimeoutSeconds" "rollbackPolicy" "description" ] v (d: {
      inherit name;
      selector = req path d "selector" (sp: s: object sp [ "pools" "nodeClasses" "hostnames" "labels" ] s (s:
        let
          out = {
            pools = opt sp s "pools" [ ] (listOf (ref "pool" poolNames));
            nodeClasses = opt sp s "nodeClasses" [ ] (listOf (ref "node class" classNames));
            hostnames = opt sp s "hostnames" [ ] (listOf hostname);
            labels = opt sp s "labels" { } labels;
          };
        in
        if out.pools == [ ] && out.nodeClasses == [ ] && out.hostnames == [ ] && out.labels == { }
        then fail sp "an empty selector would roll out to every machine; name pools, nodeClasses, hostnames or labels"
        else out));
      system = req path d "system" (sp: s: object sp [ "flake" "attribute" ] s (s: {
        flake = req sp s "flake" flakeRef;
        attribute = req sp s "attribute" attribute;
      }));
      batchSize = opt path d "batchSize" 1 posInt;
      maxUnavailable = opt path d "maxUnavailable" 1 posInt;
      drainPolicy = opt path d "drainPolicy" "drain" (enum [ "none" "drain" ]);
      healthCheck = opt path d "healthCheck" { type = "none"; units = [ ]; url = null; expectStatus = null; timeoutSeconds = null; }
        (hp: h: object hp [ "type" "units" "url" "expectStatus" "timeoutSeconds" ] h (h:
          let type = req hp h "type" (enum [ "none" "systemd" "http" ]); in {
            inherit type;
            units =
              if type == "systemd"
              then (let u = req hp h "units" (listOf nonEmptyStr); in if u == [ ] then fail "${hp}.units" "name at least one systemd unit" else u)
              else opt hp h "units" [ ] (listOf nonEmptyStr);
            url = if type == "http" then req hp h "url" url else opt hp h "url" null url;
            expectStatus = if type == "http" then opt hp h "expectStatus" 200 (intRange 100 599) else null;
            timeoutSeconds = if type == "none" then null else opt hp h "timeoutSeconds" 300 posInt;
          }));
      activationTimeoutSeconds = opt path d "activationTimeoutSeconds" 600 posInt;
      rollbackPolicy = opt path d "rollbackPolicy" "automatic" (enum [ "automatic" "manual" ]);
      description = opt path d "description" null str;
    }))
    (section "hostDeployments" { });

  servicePolicies = section "servicePolicies" { };

  # ---------------------------------------------------------------- cross-entry checks
  crossChecks = allTrue [
    # overlapping networks
    (allTrue (b.concatLists (imap0
      (i: a: map
        (c:
          if a._net.base < c._net.base + c._net.size && c._net.base < a._net.base + a._net.size
          then fail "networks.${c.name}.cidr" "${c.cidr} overlaps network ${a.name} (${a.cidr})" else true)
        (b.genList (j: b.elemAt networks (i + j + 1)) (b.length networks - i - 1)))
      networks)))
    (checkUnique "enrollment rule name" (map (r: { path = "enrollmentRules.${r.name}.name"; value = r.name; }) enrollmentRules))
    (checkUnique "hostname pattern" (map (r: { path = "enrollmentRules.${r.name}.assign.hostname"; value = r.assign.hostnamePattern; }) enrollmentRules))
    (checkUnique "node id" (map (n: { path = "${n._path}.nodeId"; value = n.nodeId; }) nodes))
    (checkUnique "hostname"
      (map (n: { path = "${n._path}.hostname"; value = n.hostname; }) nodes
        ++ map (s: { inherit (s) path; value = s.hostname; }) ruleSlots))
    (checkUnique "SMBIOS UUID" (map (n: { path = "${n._path}.match.smbiosUuid"; value = n.match.smbiosUuid; }) (b.filter (n: n.match.smbiosUuid != null) nodes)))
    (checkUnique "MAC" (map (n: { path = "${n._path}.match.mac"; value = n.match.mac; }) (b.filter (n: n.match.mac != null) nodes)))
    (checkUnique "address"
      (b.concatMap (n: map (a: { path = "${n._path}.addresses.${a.network}"; value = "${a.network}/${a.address}"; }) n.addresses) nodes))
  ];

  # ---------------------------------------------------------------- exports
  strip = n: removeAttrs n [ "_path" "_net" ];
  clusterStateRaw = {
    inherit schemaVersion cluster diskPolicies installProfiles nodeClasses pools enrollmentRules hostDeployments servicePolicies;
    networks = map strip networks;
    nodes = map strip nodes;
  };
  validated = b.seq crossChecks (b.deepSeq clusterStateRaw true);
  guard = v: b.seq validated v;

  networkExport = n: { inherit (n) name cidr prefixLength gateway dns vlan mtu domain; };
  # a node's DNS domain: its install network's, else the cluster's (FQDN, certificates, hostname)
  domainOf = networkName: let d = networkByName.${networkName}.domain; in if d != null then d else cluster.domain;

  installPlans = b.listToAttrs (map
    (p:
      let d = diskPolicyByName.${p.diskPolicy}; in {
        name = p.name;
        value = {
          installProfile = p.name;
          inherit (p) system kernelParams diskPolicy;
          inherit (d) rootDeviceHints wipe;
          diskLayout = d.layout;
          network = networkExport networkByName.${p.network};
          deployerUrl = cluster.deployerUrl;
        };
      })
    installProfiles);

  # every machine the intent can name: fixed nodes, then the slots of rules with a maxCount
  members =
    map
      (n: {
        kind = "fixed";
        rule = null;
        inherit (n) nodeId hostname nodeClass pool labels machineId addresses;
      })
      nodes
    ++ map
      (s: {
        kind = "enrolled";
        inherit (s) rule hostname nodeClass pool labels;
        nodeId = s.hostname;
        machineId = null;
        addresses = [ ];
      })
      ruleSlots;
  failureDomainOf = pool: if pool == null then null else poolByName.${pool}.failureDomain;

  testTopology = {
    cluster = cluster.name;
    inherit (cluster) domain;
    networks = map networkExport networks;
    nodes = map
      (m: {
        inherit (m) kind rule nodeId hostname nodeClass pool machineId;
        failureDomain = failureDomainOf m.pool;
        interfaces = map (a: { inherit (a) network address prefixLength mac; }) m.addresses;
      })
      members;
  };

  nodeModuleArgs = b.listToAttrs (map
    (m:
      let
        cls = classByName.${m.nodeClass};
        prof = profileByName.${cls.installProfile};
        pool = if m.pool == null then null else poolByName.${m.pool};
      in
      {
        name = m.hostname;
        value = {
          inherit (m) nodeId hostname nodeClass pool machineId;
          domain = domainOf prof.network;
          fqdn = "${m.hostname}.${domainOf prof.network}";
          failureDomain = failureDomainOf m.pool;
          labels = (if pool == null then { } else pool.labels) // cls.labels // m.labels;
          installProfile = prof.name;
          system = rec {
            inherit (prof.system) flake;
            attribute = b.replaceStrings [ "{hostname}" ] [ m.hostname ] prof.system.attribute;
            # what `nixos-install --flake <flake>#<configuration>` takes (the plan's system.configuration)
            configuration = b.head (b.match "nixosConfigurations\\.(.*)" attribute);
          };
          inherit (prof) kernelParams;
          diskLayout = diskPolicyByName.${prof.diskPolicy}.layout;
          # static addresses; an empty list means DHCP on the install network
          addresses = map
            (a:
              let nw = networkByName.${a.network}; in {
                inherit (a) network address prefixLength mac interface;
                inherit (nw) gateway dns vlan mtu;
              })
            m.addresses;
          installNetwork = prof.network;
          sshHostKeyPath = "/etc/ssh/ssh_host_ed25519_key";
          inherit (cluster) operatorSshKeys;
          deployer.url = cluster.deployerUrl;
          nixAgent = {
            enable = true;
            deployerUrl = cluster.deployerUrl;
            credentialsDir = "/var/lib/ultracloud/tls"; # where the installer writes node.key, node.crt, ca.crt
            pollIntervalSeconds = 30;
          };
        };
      })
    members);
in
{
  clusterState = guard clusterStateRaw;
  installPlans = guard installPlans;
  testTopology = guard testTopology;
  nodeModuleArgs = guard nodeModuleArgs;
}
