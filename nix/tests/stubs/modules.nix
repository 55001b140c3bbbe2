# Stand-in for nixpkgs' lib/modules.nix, for nix/tests only. Like evalModules it:
#  - follows `imports` (a file imported twice counts once), calls module functions with the arguments
#    they name (config, options, lib, pkgs, name, ...);
#  - merges option declarations (an option declared twice is an error) and definitions, with mkIf,
#    mkMerge and mkOverride priorities (mkDefault 1000, plain 100, mkForce 50; option defaults 1500);
#  - checks each definition against its option's type (types.nix);
#  - refuses a definition of an option nobody declared: "The option `a.b' does not exist.", checked over
#    the whole tree when the result's `config` is used (modules themselves see it unchecked, as in nixpkgs).
# Not modelled: _module.args, specialArgs, disabledModules, freeformType, mkBefore/mkAfter, warnings.
lib:
let
  b = builtins;
  showLoc = lib.showOption;
  is = t: v: b.isAttrs v && (v._type or null) == t;
  isOption = is "option";

  # a definition without its properties: [ { value, priority } ] (mkIf false gives nothing)
  discharge = v:
    if is "merge" v then b.concatMap discharge v.contents
    else if is "if" v then
      (if !b.isBool v.condition then throw "mkIf called with a non-Boolean condition"
      else if v.condition then discharge v.content else [ ])
    else if is "override" v then map (d: d // { inherit (v) priority; }) (discharge v.content)
    else [{ value = v; priority = 100; }];

  # the definitions that count: those of the highest priority (lowest number)
  activeDefinitions = defs:
    let
      flat = b.concatMap (d: map (x: x // { inherit (d) file; }) (discharge d.value)) defs;
      top = b.foldl' (m: d: if d.priority < m then d.priority else m) 9999 flat;
    in
    b.filter (d: d.priority == top) flat;

  # [] or [ merged value ]: attrsOf and listOf drop what mkIf removed
  mergeOptional = loc: type: defs:
    let active = activeDefinitions defs; in
    if active == [ ] then [ ] else [ (type.merge loc active) ];

  mergeDefinitions = loc: type: defs:
    let v = mergeOptional loc type defs; in
    if v == [ ] then throw "The option `${showLoc loc}' is used but not defined." else b.head v;

  # a definition of a set of options, as attribute sets with the properties moved onto each attribute
  pushDown = v:
    if is "merge" v then b.concatMap pushDown v.contents
    else if is "if" v then map (b.mapAttrs (_: lib.mkIf v.condition)) (pushDown v.content)
    else if is "override" v then map (b.mapAttrs (_: lib.mkOverride v.priority)) (pushDown v.content)
    else [ v ];

  evalModules = { modules, args ? { }, prefix ? [ ] }:
    let
      moduleArgs = args // { inherit lib config options; };
      load = key: m:
        let
          isFile = b.isPath m || b.isString m;
          file = if isFile then toString m else key;
          f = if isFile then import m else m;
          v = if b.isFunction f then f (b.intersectAttrs (b.functionArgs f) moduleArgs) else f;
          structured = v ? options || v ? config;
          extra = b.filter (n: !b.elem n [ "_file" "key" "imports" "options" "config" "meta" ]) (b.attrNames v);
        in
        if !b.isAttrs v then throw "module ${file} is not an attribute set or a function returning one"
        else if structured && extra != [ ] then throw "Module `${file}' has an unsupported attribute `${b.head extra}'."
        else {
          key = file;
          file = v._file or file;
          imports = v.imports or [ ];
          options = v.options or { };
          config = if structured then v.config or { } else b.removeAttrs v [ "_file" "key" "imports" "meta" ];
        };
      closure = b.genericClosure {
        startSet = lib.imap0 (i: load "${showLoc prefix}<module ${toString i}>") modules;
        operator = item: lib.imap0 (i: load "${item.key}:imports[${toString i}]") item.imports;
      };

      mergeDeclarations = loc: decls:
        if b.any isOption decls then
          (if b.length decls > 1 then throw "The option `${showLoc loc}' is declared more than once."
          else b.head decls // { inherit loc; })
        else b.zipAttrsWith (n: mergeDeclarations (loc ++ [ n ])) decls;
      options = mergeDeclarations prefix (map (m: m.options) closure);

      # definitions of a set of options -> name -> the definitions of that option; throws on unknown names
      split = loc: opts: defs:
        let
          pushed = b.concatMap
            (d: map
              (v: if b.isAttrs v then { inherit (d) file; value = v; }
              else throw "`${showLoc loc}' is a set of options, but ${d.file} defines it as a ${b.typeOf v}")
              (pushDown d.value))
            defs;
          unknown = b.concatMap (d: map (n: { inherit n; inherit (d) file; }) (b.filter (n: !(opts ? ${n})) (b.attrNames d.value))) pushed;
          u = b.head unknown;
        in
        if unknown != [ ] then throw "The option `${showLoc (loc ++ [ u.n ])}' does not exist. Definition values:\n- In `${u.file}'"
        else b.mapAttrs (n: _: b.concatMap (d: if d.value ? ${n} then [{ inherit (d) file; value = d.value.${n}; }] else [ ]) pushed) opts;

      evalOption = opt: defs:
        let
          type = opt.type or lib.types.unspecified;
          withDefault = (if opt ? default then [{ file = "the default of ${showLoc opt.loc}"; value = lib.mkOptionDefault opt.default; }] else [ ]) ++ defs;
          value = mergeDefinitions opt.loc type withDefault;
        in
        if opt ? apply then opt.apply value else value;

      tree = loc: opts: defs:
        if isOption opts then evalOption opts defs
        else let s = split loc opts defs; in b.mapAttrs (n: o: tree (loc ++ [ n ]) o s.${n}) opts;
      check = loc: opts: defs:
        isOption opts || (let s = split loc opts defs; in b.seq s (b.all (n: check (loc ++ [ n ]) opts.${n} s.${n}) (b.attrNames opts)));

      defs = map (m: { inherit (m) file; value = m.config; }) closure;
      config = tree prefix options defs;
    in
    {
      config = b.seq (check prefix options defs) config;
      inherit options;
    };
in
{
  inherit evalModules mergeDefinitions mergeOptional;
}
