# A fake derivation for the stubs: what `types.package` and string interpolation ("${pkg}/bin/x") need
# (type = "derivation", outPath, drvPath), with store-like paths made from the name. Nothing is built.
name:
let hash = builtins.substring 0 32 (builtins.hashString "sha256" name); in
{
  type = "derivation";
  inherit name;
  outPath = "/nix/store/${hash}-${name}";
  drvPath = "/nix/store/${hash}-${name}.drv";
}
