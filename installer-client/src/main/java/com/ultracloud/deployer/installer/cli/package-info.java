/**
 * The {@code installer} command line (picocli): {@link com.ultracloud.deployer.installer.cli.InstallerCli}
 * is the root; one {@code <Verb>Command} per subcommand; one exception handler and exit-code mapper
 * ({@link com.ultracloud.deployer.installer.cli.Failures}). Output goes to the command line's writers,
 * {@code System.exit} is called only in {@code main}.
 */
package com.ultracloud.deployer.installer.cli;
