# expect: cluster.operatorSshKeys[1]: expected an OpenSSH public key line ("ssh-ed25519 AAAA... comment"; types: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com), got a value starting with "-----BEGIN"
# a private key pasted by mistake: refused, and only its first word is echoed
import ../lab-with.nix (lab: {
  cluster = lab.cluster // {
    operatorSshKeys = [ (builtins.head lab.cluster.operatorSshKeys) "-----BEGIN (the first line of a pasted private key; no key material in this repository)" ];
  };
})
