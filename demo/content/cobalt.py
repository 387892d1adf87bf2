"""Demo projects of Cobalt Outdoor Co.."""

PROJECTS = [
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Competitor pricing research on 60 tents and sleeping bags",
        "summary": (
            "Track prices, discounts and shipping terms for comparable tents and "
            "sleeping bags sold by three competing outdoor brands."
        ),
        "description": (
            "We are setting prices for our fall camping line and need a clear view "
            "of what comparable products cost from three direct competitors. We "
            "have matched about 60 products by size, weight and temperature rating."
            "\n\n"
            "You will record list price, current sale price, shipping cost and "
            "return policy for each product, check prices twice a week for two "
            "weeks to catch promotions, and summarize where we sit on price."
            "\n\n"
            "Our merchandising lead will walk you through the product matches on a "
            "kickoff call and meet you for a weekly check-in."
        ),
        "deliverables": (
            "- A pricing spreadsheet covering 60 products across three brands, with four "
            "price checks each\n"
            "- A one-page summary of price positioning and promotion patterns"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 15,
        "fee_cents": 28500,
        "days_to_complete": 14,
        "apply_in_days": 9,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "How would you make sure two products from different brands are a fair comparison?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Draft 4 blog posts on trail safety for beginner hikers",
        "summary": (
            "Write four practical, friendly blog posts that help new hikers plan safe day hikes."
        ),
        "description": (
            "Many of our customers are new to hiking and buy their first daypack "
            "from us. We want our blog to help them stay safe, not just sell gear."
            "\n\n"
            "You will write four posts of 800 to 1,000 words: planning a first day "
            "hike, what to pack, hiking in hot weather, and what to do if you get "
            "lost. Each post should include a short checklist and link to two or "
            "three related products where it helps the reader."
            "\n\n"
            "Our content manager will hold a kickoff call, share our style guide "
            "and review drafts at weekly check-ins. Hiking experience is a plus."
        ),
        "deliverables": (
            "- Four blog posts of 800 to 1,000 words with checklists\n"
            "- Suggested titles, meta descriptions and target keywords"
        ),
        "category": "content_creation",
        "skills": ["Blog writing", "SEO", "Copywriting"],
        "hours": 16,
        "fee_cents": 32000,
        "days_to_complete": 21,
        "apply_in_days": 3,
        "posted_days_ago": 18,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Tell us about your own hiking or outdoor experience.",
            "Please share a writing sample, ideally a how-to or advice piece.",
        ],
        "status": "closed",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "30-day TikTok content calendar for fall camping gear",
        "summary": (
            "Plan a month of TikTok videos for our fall camping launch and edit the "
            "first six from footage we provide."
        ),
        "description": (
            "Our TikTok account has a small but engaged audience, and we post when "
            "we remember to. For the fall camping launch we want a real plan."
            "\n\n"
            "You will review what performs well in our niche, build a 30-day "
            "calendar with video ideas, hooks, captions and sounds, and edit the "
            "first six videos from raw footage our team shot on a recent trip. "
            "Ideas should suit a small team filming on phones."
            "\n\n"
            "Our social media coordinator will run the kickoff call and meet you "
            "weekly to review ideas and cuts."
        ),
        "deliverables": (
            "- A 30-day TikTok calendar with concepts, hooks and captions\n"
            "- Six edited videos ready to post\n"
            "- A short note on trends and accounts worth watching"
        ),
        "category": "social_media",
        "skills": ["TikTok", "Social media marketing", "Video editing"],
        "hours": 18,
        "fee_cents": 37800,
        "days_to_complete": 21,
        "apply_in_days": 13,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Share a link to a short video you edited, for TikTok or elsewhere.",
            "Name an outdoor or retail brand whose TikTok you like and explain why.",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Update 350 product listings with specs and care instructions",
        "summary": (
            "Fill in missing specifications, materials and care instructions for "
            "350 product listings using supplier spec sheets."
        ),
        "description": (
            "Many of our product pages are missing weights, materials or washing "
            "instructions, and customers ask about them by email every day. The "
            "information exists in supplier spec sheets; it just never made it "
            "into our catalog."
            "\n\n"
            "You will enter the missing fields for about 350 products into our "
            "catalog spreadsheet, following a style guide for units and wording, "
            "and flag any spec sheet that contradicts the current listing. Two "
            "students will split the catalog by product type."
            "\n\n"
            "Our e-commerce coordinator will train you on a kickoff call, check a "
            "sample of your first 30 entries and hold weekly check-ins."
        ),
        "deliverables": (
            "- Completed catalog fields for all assigned products\n"
            "- A list of conflicts between spec sheets and current listings"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Google Sheets", "Copywriting"],
        "hours": 20,
        "fee_cents": 32000,
        "days_to_complete": 14,
        "apply_in_days": 7,
        "posted_days_ago": 6,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            "How do you stay accurate during long, repetitive data entry work?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Design 6 product comparison graphics for our backpack line",
        "summary": (
            "Create six clean comparison graphics that help shoppers choose between "
            "our backpacks by capacity, weight and use."
        ),
        "description": (
            "Shoppers often ask which of our eight backpacks is right for them. We "
            "want simple comparison graphics for product pages, email and social "
            "posts."
            "\n\n"
            "You will design six graphics in Adobe Illustrator or Canva, such as a "
            "capacity chart, a day-pack versus overnight guide and a fit guide, "
            "using our brand colors and product photos. Each needs versions sized "
            "for the web, email and Instagram."
            "\n\n"
            "Our brand designer will hold a kickoff call, share the brand kit and "
            "review drafts at two check-ins."
        ),
        "deliverables": (
            "- Six comparison graphics in web, email and Instagram sizes\n- Editable source files"
        ),
        "category": "design",
        "skills": ["Adobe Illustrator", "Canva", "Data visualization"],
        "hours": 12,
        "fee_cents": 27600,
        "days_to_complete": 14,
        "apply_in_days": 10,
        "posted_days_ago": 3,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please share a portfolio link or two to three design samples.",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Customer interviews on why shoppers abandon their carts",
        "summary": (
            "Interview 12 recent shoppers who left items in their cart and report "
            "what held them back."
        ),
        "description": (
            "About 70 percent of carts on our site are abandoned. Our analytics show "
            "where people leave, but not why. We want to hear it from shoppers "
            "themselves."
            "\n\n"
            "You will help refine a short interview guide, run 12 video interviews "
            "of about 20 minutes with shoppers we recruit, and write up the themes "
            "with quotes. A short follow-up survey to a wider group is optional if "
            "time allows."
            "\n\n"
            "Our marketing manager will hold a kickoff call, handle recruiting and "
            "scheduling, and meet you weekly to discuss early findings."
        ),
        "deliverables": (
            "- A final interview guide\n"
            "- Notes from 12 interviews\n"
            "- A findings report with themes, quotes and recommendations"
        ),
        "category": "marketing",
        "skills": ["Customer interviews", "Market research", "Survey design", "UX research"],
        "hours": 22,
        "fee_cents": 48400,
        "days_to_complete": 21,
        "apply_in_days": 16,
        "posted_days_ago": 5,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Describe any interviews or user research you have done, in class or at work.",
            "What would you ask first to learn why someone left items in their cart?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Product photography for 25 new fall items",
        "summary": (
            "Photograph 25 new products in our Boulder studio space, on white and "
            "in simple lifestyle setups."
        ),
        "description": (
            "Our fall line arrives next month, and we need clean photos for the "
            "website and marketplace listings. We have a small studio corner with "
            "lights and a backdrop in our Boulder warehouse."
            "\n\n"
            "You will shoot each of the 25 products on white from four angles, "
            "plus a few lifestyle shots of our top sellers, then edit and export "
            "the images to our size and naming rules. Bring your own camera if you "
            "have one; we can lend one if needed."
            "\n\n"
            "Our e-commerce coordinator will meet you on your first day and be "
            "on-site for questions. We will review the first batch together before "
            "you shoot the rest."
        ),
        "deliverables": (
            "- Edited product photos, four angles per item, on white\n"
            "- 10 to 15 edited lifestyle photos\n"
            "- Files exported and named to our guidelines"
        ),
        "category": "content_creation",
        "skills": ["Photography", "Adobe Photoshop"],
        "hours": 24,
        "fee_cents": 52800,
        "days_to_complete": 14,
        "apply_in_days": 21,
        "posted_days_ago": 10,
        "openings": 1,
        "is_remote": False,
        "location": "Boulder, CO",
        "questions": [
            (
                "Please share a link to photos you have taken, ideally including products or "
                "still life."
            ),
            "Can you work on-site in Boulder for about four weekday afternoons?",
        ],
        "status": "open",
    },
]
