# Selects a layout by the disk policy's layout name and applies it to the resolved root device:
#   disko --mode disko --argstr layout single-ext4 --argstr device /dev/disk/by-id/... nix/disko
# Other arguments (dataDevices for storage-array, and whatever disko passes, e.g. lib) go through.
{ layout, ... }@args:
let
  layouts = import ./layouts.nix;
in
if builtins.isString layout && layouts ? ${layout}
then import layouts.${layout} (builtins.removeAttrs args [ "layout" ])
else throw "nix/disko: unknown layout ${builtins.toJSON layout} (known: ${builtins.concatStringsSep ", " (builtins.attrNames layouts)})"
