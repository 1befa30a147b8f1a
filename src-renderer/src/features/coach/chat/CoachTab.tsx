import { Box, Flex } from '@mantine/core';
import { ChatPanel } from './ChatPanel';
import { LeadsPanel } from './LeadsPanel';
import { ProfilePanel } from './ProfilePanel';

/** Leads and sessions | the conversation | the client profile. */
export function CoachTab() {
  return (
    <Flex gap="md" align="flex-start" wrap="wrap">
      <Box w={240} style={{ flexShrink: 0 }}>
        <LeadsPanel />
      </Box>
      <Box style={{ flex: '1 1 440px', minWidth: 0 }}>
        <ChatPanel />
      </Box>
      <Box w={280} style={{ flexShrink: 0 }}>
        <ProfilePanel />
      </Box>
    </Flex>
  );
}
