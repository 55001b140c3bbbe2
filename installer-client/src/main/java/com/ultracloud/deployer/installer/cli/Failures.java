package com.ultracloud.deployer.installer.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * The one place where exceptions become output and exit codes: {@link InstallerException} prints
 * {@code code: detail}; anything else is a bug and prints {@code internal-error: ...} with its cause.
 */
final class Failures implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (ex instanceof InstallerException failure) {
            err.println(failure.code() + ": " + failure.getMessage());
        } else {
            err.println("internal-error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();
        return getExitCode(ex);
    }

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof InstallerException failure) {
            return failure.exitCode();
        }
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.SOFTWARE;
    }
}
