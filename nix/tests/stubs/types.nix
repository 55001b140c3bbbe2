# Stand-in for nixpkgs' lib/types.nix, for nix/tests only: the types that nix/modules and the stubs use,
# with nixpkgs' checks and merge rules (str/bool/int/enum: equal definitions only; package: one
# definition; lines: joined; listOf: concatenated; attrsOf: merged per name; anything: attribute sets
# merged recursively, other values equal; submodule: its own module evaluation).
lib:
let
  b = builtins;
  inherit (lib.modules) mergeDefinitions mergeOptional;
  showLoc = lib.showOption;
  show = v: if b.isString v then "\"${v}\"" else if b.isAttrs v || b.isList v || b.isFunction v then "a ${b.typeOf v}" else b.toJSON v;
  showDefs = defs: b.concatStringsSep "" (map (d: "\n- In `${d.file}': ${show d.value}") defs);

  mkOptionType = { name, description ? name, check ? (_: true), merge }: {
    _type = "option-type";
    inherit name description check;
    merge = loc: defs:
      let bad = b.filter (d: !check d.value) defs; in
      if bad != [ ] then throw "A definition for option `${showLoc loc}' is not of type `${description}'. Definition values:${showDefs bad}"
      else merge loc defs;
  };

  mergeEqual = loc: defs:
    let first = (b.head defs).value; in
    if b.all (d: d.value == first) defs then first
    else throw "The option `${showLoc loc}' has conflicting definition values:${showDefs defs}";
  mergeOne = loc: defs:
    if b.length defs == 1 then (b.head defs).value
    else throw "The option `${showLoc loc}' is defined multiple times while it's expected to be unique.${showDefs defs}";
  values = map (d: d.value);
  # name -> the definitions of that attribute, each with its file
  perName = defs: b.zipAttrsWith (_: ds: ds) (map (d: b.mapAttrs (_: value: { inherit (d) file; inherit value; }) d.value) defs);

  isDerivation = v: b.isAttrs v && (v.type or null) == "derivation";
  simple = name: check: mkOptionType { inherit name check; merge = mergeEqual; };
  intBetween = lo: hi: simple "integer between ${toString lo} and ${toString hi}" (v: b.isInt v && v >= lo && v <= hi);

  types = {
    str = simple "string" b.isString;
    bool = simple "boolean" b.isBool;
    int = simple "signed integer" b.isInt;
    ints = {
      positive = simple "positive integer, meaning >0" (v: b.isInt v && v > 0);
      unsigned = simple "unsigned integer, meaning >=0" (v: b.isInt v && v >= 0);
      u8 = intBetween 0 255;
    };
    path = simple "path" (v: (b.isPath v || b.isString v || isDerivation v) && b.substring 0 1 (toString v) == "/");
    enum = vs: simple "one of ${b.concatStringsSep ", " (map show vs)}" (v: b.elem v vs);
    lines = mkOptionType { name = "strings concatenated with \"\\n\""; check = b.isString; merge = _: defs: b.concatStringsSep "\n" (values defs); };
    package = mkOptionType { name = "package"; check = isDerivation; merge = mergeOne; };

    # nixpkgs' mergeDefaultOption: one value, or lists concatenated, sets merged, booleans or-ed
    unspecified = mkOptionType {
      name = "unspecified value";
      merge = loc: defs:
        let vs = values defs; in
        if b.length vs == 1 then b.head vs
        else if b.all b.isList vs then b.concatLists vs
        else if b.all b.isAttrs vs then b.foldl' (a: v: a // v) { } vs
        else if b.all b.isBool vs then b.any (x: x) vs
        else mergeEqual loc defs;
    };
    anything = mkOptionType {
      name = "anything";
      merge = loc: defs:
        if b.all (d: b.isAttrs d.value && !isDerivation d.value) defs then (types.attrsOf types.anything).merge loc defs
        else mergeEqual loc defs;
    };

    nullOr = t: mkOptionType {
      name = "null or ${t.description}";
      check = v: v == null || t.check v;
      merge = loc: defs:
        let nulls = b.filter (d: d.value == null) defs; in
        if nulls == defs then null
        else if nulls == [ ] then t.merge loc defs
        else throw "The option `${showLoc loc}' is defined both null and not null.";
    };
    either = t1: t2: mkOptionType {
      name = "${t1.description} or ${t2.description}";
      check = v: t1.check v || t2.check v;
      merge = loc: defs:
        if b.all (d: t1.check d.value) defs then t1.merge loc defs
        else if b.all (d: t2.check d.value) defs then t2.merge loc defs
        else mergeEqual loc defs;
    };
    listOf = t: mkOptionType {
      name = "list of ${t.description}";
      check = b.isList;
      merge = loc: defs: b.concatLists (lib.imap0
        (n: d: b.concatLists (lib.imap0
          (m: x: mergeOptional (loc ++ [ "[definition ${toString (n + 1)}-entry ${toString (m + 1)}]" ]) t [{ inherit (d) file; value = x; }])
          d.value))
        defs);
    };
    # attrsOf drops names whose definitions were all removed by mkIf; lazyAttrsOf keeps every name and
    # evaluates nothing until a value is read (system.build relies on that)
    attrsOf = t: mkOptionType {
      name = "attribute set of ${t.description}";
      check = b.isAttrs;
      merge = loc: defs:
        let byName = perName defs;
        in b.listToAttrs (b.concatMap (n: map (value: { name = n; inherit value; }) (mergeOptional (loc ++ [ n ]) t byName.${n})) (b.attrNames byName));
    };
    lazyAttrsOf = t: mkOptionType {
      name = "lazy attribute set of ${t.description}";
      check = b.isAttrs;
      merge = loc: defs: b.mapAttrs (n: mergeDefinitions (loc ++ [ n ]) t) (perName defs);
    };
    submodule = module: mkOptionType {
      name = "submodule";
      check = b.isAttrs;
      merge = loc: defs: (lib.evalModules {
        modules = [ module ] ++ map (d: { _file = d.file; config = d.value; }) defs;
        args = { name = lib.last loc; };
        prefix = loc;
      }).config;
    };
  };
in
types
