# Stand-in for the parts of nixpkgs' `lib` that nix/modules, nix/lib/nixos-configurations.nix and the
# stubs use, so nix/tests can evaluate NixOS configurations without nixpkgs (there is none here).
# Same names and semantics as nixpkgs (lib/attrsets.nix, lists.nix, strings.nix, modules.nix,
# options.nix, types.nix) for what is defined; anything else is missing on purpose, so a module that
# needs more fails here ("attribute ... missing") rather than passing silently.
let
  b = builtins;
  lib = {
    inherit (b) head tail filter concatMap listToAttrs attrNames attrValues mapAttrs elem length all any
      replaceStrings concatStringsSep groupBy catAttrs hasAttr isAttrs isList isString isBool isInt isFunction foldl';
    max = x: y: if x > y then x else y;
    last = l: b.elemAt l (b.length l - 1);
    imap0 = f: l: b.genList (i: f i (b.elemAt l i)) (b.length l);
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: s: if c then s else { };
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: s: b.listToAttrs (map (n: f n s.${n}) (b.attrNames s));
    genAttrs = names: f: b.listToAttrs (map (n: { name = n; value = f n; }) names);
    unique = b.foldl' (acc: x: if b.elem x acc then acc else acc ++ [ x ]) [ ];
    concatMapStrings = f: l: b.concatStringsSep "" (map f l);
    hasPrefix = p: s: b.substring 0 (b.stringLength p) s == p;
    escapeShellArg = a:
      let s = toString a; in
      if b.match "[[:alnum:],._+:@%/-]+" s != null then s else "'${b.replaceStrings [ "'" ] [ "'\\''" ] s}'";
    escapeShellArgs = l: b.concatStringsSep " " (map lib.escapeShellArg l);
    showOption = loc: b.concatStringsSep "." loc;

    # lib/options.nix, lib/modules.nix: declarations and the properties of definitions
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption = name: lib.mkOption { type = lib.types.bool; default = false; description = "Whether to enable ${name}."; };
    mkIf = condition: content: { _type = "if"; inherit condition content; };
    mkMerge = contents: { _type = "merge"; inherit contents; };
    mkOverride = priority: content: { _type = "override"; inherit priority content; };
    mkOptionDefault = lib.mkOverride 1500;
    mkDefault = lib.mkOverride 1000;
    mkForce = lib.mkOverride 50;

    modules = import ./modules.nix lib;
    inherit (lib.modules) evalModules;
    types = import ./types.nix lib;
  };
in
lib
