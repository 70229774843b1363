import { SetMetadata } from '@nestjs/common';
import type { QueueName } from '../queue-names';

/** Metadata key of {@link QueueProcessor}. */
export const QUEUE_PROCESSOR = 'venvfarm:queue-processor';

/**
 * Marks a provider class as the processor of a queue; it must implement `JobProcessor` of that
 * queue. Processes that work on the queue find it at start-up.
 */
export const QueueProcessor = (queue: QueueName): ClassDecorator => SetMetadata(QUEUE_PROCESSOR, queue);
