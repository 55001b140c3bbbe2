# The layouts the installer knows, by the name a disk policy gives (nix/lib/cluster-schema.nix
# knownLayouts: keep both lists equal; nix/tests/run.sh checks it).
{
  "single-ext4" = ./single-ext4.nix;
  "single-btrfs" = ./single-btrfs.nix;
  "storage-array" = ./storage-array.nix;
}
