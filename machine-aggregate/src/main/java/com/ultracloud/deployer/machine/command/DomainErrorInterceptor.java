package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Wraps a refused command's {@link MachineException} (or {@link HostDeploymentException}) in a {@link CommandExecutionException} whose
 * details carry the {@link com.ultracloud.deployer.machine.api.MachineError}: details survive the
 * trip back from another node (Axon Server), an exception class does not.
 */
final class DomainErrorInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (MachineException e) {
            throw new CommandExecutionException(e.getMessage(), null, e.error());
        } catch (HostDeploymentException e) {
            throw new CommandExecutionException(e.getMessage(), null, e.error());
        }
    }
}
